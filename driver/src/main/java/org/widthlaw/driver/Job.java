package org.widthlaw.driver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.search.SearchSpec;
import org.widthlaw.lib.train.TrainSpec;

/**
 * A validated job (docs/ARCHITECTURE.md, "Job file"). {@code model} carries the first depth of the grid; the
 * cells carry their own. {@code train} is the training recipe of the first listed loss; a cell trains with
 * {@link #train(Loss)} of its own. {@code hash} identifies the recipe (data, model, search, train): probes
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
     * The grid: architectures, label kinds and losses (from model.arch, data.labels and train.loss, a
     * value or a list), depths, sample counts and cell seeds, each non-empty and without repeats; the
     * filter size q of its cnn cells ({@code kernel}, 0 when it has none), q x q over the image grid
     * when {@code kernel2d}; with the losses, {@code earlyStop} (train.early_stop, which applies to the
     * squared-loss cells only) and {@code margin} (train.margin, which applies to the classification
     * cells only).
     */
    public record Grid(
            List<Arch> archs,
            List<Labels> labels,
            List<Integer> depths,
            List<Integer> ns,
            List<Long> seeds,
            int kernel,
            boolean kernel2d,
            List<Loss> losses,
            boolean earlyStop,
            double margin) {
        public Grid {
            archs = List.copyOf(archs);
            labels = List.copyOf(labels);
            depths = List.copyOf(depths);
            ns = List.copyOf(ns);
            seeds = List.copyOf(seeds);
            losses = List.copyOf(losses);
        }
    }

    /**
     * The training recipe of the cells with this loss: the job's, with early stop only for squared
     * (docs/METHOD.md section 4) and the margin only for a classification loss; the optimizer (GD or SGD
     * with its minibatch) is the job's.
     */
    public TrainSpec train(Loss loss) {
        return new TrainSpec(
                train.budgets(),
                train.tol(),
                train.lr(),
                train.cEta(),
                train.precision(),
                grid.earlyStop() && !loss.classification(),
                loss,
                loss.classification() ? grid.margin() : 0,
                train.optimizer(),
                train.batch());
    }

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

    /** Every cell, in grid order (arch, labels, loss, depth, n, seed): a pure function of the job. */
    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (Arch arch : grid.archs()) {
            for (Labels labels : grid.labels()) {
                DataSpec ds = data.withLabels(labels);
                for (Loss loss : grid.losses()) {
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
                            for (long s : grid.seeds()) out.add(Cell.of(ds, m, loss, n, s));
                        }
                    }
                }
            }
        }
        return out;
    }
}
