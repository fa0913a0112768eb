package org.widthlaw.driver;

import java.util.ArrayList;
import java.util.List;
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
     * depths, sample counts and cell seeds, each non-empty and without repeats.
     */
    public record Grid(
            List<Arch> archs, List<Labels> labels, List<Integer> depths, List<Integer> ns, List<Long> seeds) {
        public Grid {
            archs = List.copyOf(archs);
            labels = List.copyOf(labels);
            depths = List.copyOf(depths);
            ns = List.copyOf(ns);
            seeds = List.copyOf(seeds);
        }
    }

    /** Every cell, in grid order (arch, labels, depth, n, seed): a pure function of the job. */
    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (Arch arch : grid.archs()) {
            for (Labels labels : grid.labels()) {
                DataSpec ds = data.withLabels(labels);
                for (int depth : grid.depths()) {
                    ModelSpec m = new ModelSpec(
                            arch, depth, model.trained(), model.activation(), model.cSigma(), model.cRes());
                    for (int n : grid.ns()) {
                        for (long s : grid.seeds()) out.add(Cell.of(ds, m, n, s));
                    }
                }
            }
        }
        return out;
    }
}
