package org.widthlaw.driver;

import java.io.Serializable;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.reduce.CellKey;
import org.widthlaw.lib.reduce.GroupKey;

/** One cell: (architecture, depth, d, data, labels, trained, n, seed), the unit of the width search. */
public record Cell(String cellId, DataSpec data, ModelSpec model, int n, long seed) implements Serializable {
    public static Cell of(DataSpec data, ModelSpec model, int n, long seed) {
        String id = String.format(
                "%s-L%d-d%d-%s-%s-%s-n%d-s%d",
                model.arch().id(),
                model.depth(),
                data.d(),
                data.tag(),
                model.trained().id(),
                model.activation().id(),
                n,
                seed);
        return new Cell(id, data, model, n, seed);
    }

    /** The group this cell belongs to: everything but n and the seed. */
    public GroupKey group() {
        return new GroupKey(
                model.arch(), model.depth(), data.d(), data.kind(), data.labels(), model.trained(), model.activation());
    }

    /** The cost of training width m for {@code steps} steps, in flops ({@link ModelSpec#flopsPerStep}). */
    public double cost(int m, int steps) {
        return model.flopsPerStep(n, data.d(), data.outputs(), m) * steps;
    }

    public CellKey key() {
        return new CellKey(cellId, group(), n, seed);
    }
}
