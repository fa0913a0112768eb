package org.widthlaw.driver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.search.SearchSpec;
import org.widthlaw.lib.train.TrainSpec;

/**
 * A validated job (docs/ARCHITECTURE.md, "Job file"). {@code model} carries the first depth of the grid; the
 * cells carry their own. {@code hash} identifies the recipe (data, model, search, train): probes
 * of one recipe are interchangeable between runs, so a grid may grow on the same output.
 */
public record Job(
        String name,
        DataSpec data,
        ModelSpec model,
        Grid grid,
        SearchSpec search,
        TrainSpec train,
        String output,
        String hash,
        String content) {

    /**
     * The grid: architectures and label kinds (from model.arch and data.labels, a value or a list),
     * depths, sample counts and cell seeds, each non-empty and without repeats; and the filter size
     * q of its cnn cells ({@code kernel}, 0 when it has none), q x q over the image grid when {@code
     * kernel2d}.
     */
    public record Grid(
            List<Arch> archs,
            List<Labels> labels,
            List<Integer> depths,
            List<Integer> ns,
            List<Long> seeds,
            int kernel,
            boolean kernel2d) {
        public Grid {
            archs = List.copyOf(archs);
            labels = List.copyOf(labels);
            depths = List.copyOf(depths);
            ns = List.copyOf(ns);
            seeds = List.copyOf(seeds);
        }
    }

    /** Every cell, in grid order (arch, labels, depth, n, seed): a pure function of the job. */
    /**
     * The warm starts of docs/METHOD.md section 5: for every cell that waits (with
     * {@code search.warm_start}, each seed but the grid's first at its group and n), the id of the
     * cell whose m* at the same budget it starts from. Empty for a cold search. A function of the
     * grid alone, so runs and {@code status} agree and nothing depends on timing.
     */
    public Map<String, String> warmAnchors() {
        Map<String, String> anchors = new HashMap<>();
        if (!search.warmStart()) return anchors;
        Map<List<Object>, String> first = new HashMap<>();
        for (Cell c : cells()) {
            String anchor = first.putIfAbsent(List.of(c.group(), c.n()), c.cellId());
            if (anchor != null) anchors.put(c.cellId(), anchor);
        }
        return anchors;
    }

    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (Arch arch : grid.archs()) {
            for (Labels labels : grid.labels()) {
                DataSpec ds = data.withLabels(labels);
                for (int depth : grid.depths()) {
                    ModelSpec m = new ModelSpec(
                            arch,
                            depth,
                            model.trained(),
                            model.activation(),
                            model.cSigma(),
                            model.cRes(),
                            arch == Arch.CNN ? grid.kernel() : 0,
                            arch == Arch.CNN && grid.kernel2d());
                    for (int n : grid.ns()) {
                        for (long s : grid.seeds()) out.add(Cell.of(ds, m, n, s));
                    }
                }
            }
        }
        return out;
    }
}
