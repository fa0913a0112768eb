package org.widthlaw.driver;

import java.util.ArrayList;
import java.util.List;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.search.SearchSpec;
import org.widthlaw.lib.train.TrainSpec;

/**
 * A validated job (DESIGN.md, "Job file"). {@code model} carries the first depth of the grid; the
 * cells carry their own. {@code hash} identifies the recipe (data, model, search, train): probes
 * of one recipe are interchangeable between runs, so a grid may grow on the same output.
 */
public record Job(String name, DataSpec data, ModelSpec model, Grid grid, SearchSpec search, TrainSpec train,
                  String output, String hash) {

    /** The grid: depths, sample counts and cell seeds, each non-empty and without repeats. */
    public record Grid(List<Integer> depths, List<Integer> ns, List<Long> seeds) {
        public Grid {
            depths = List.copyOf(depths);
            ns = List.copyOf(ns);
            seeds = List.copyOf(seeds);
        }
    }

    /** Every cell, in grid order (depth, n, seed): a pure function of the job. */
    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (int depth : grid.depths()) {
            ModelSpec m = model.withDepth(depth);
            for (int n : grid.ns()) {
                for (long s : grid.seeds()) out.add(Cell.of(data, m, n, s));
            }
        }
        return out;
    }
}
