package org.widthlaw.driver;

import java.io.Serializable;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.reduce.CellKey;
import org.widthlaw.lib.reduce.GroupKey;

/**
 * One cell: (architecture, depth, d, data, labels, trained, loss, n, seed), the unit of the width search. A
 * classification loss is named in the cell id (before n); a squared-loss cell has the id it had before
 * losses could be listed.
 */
public record Cell(String cellId, DataSpec data, ModelSpec model, Loss loss, int n, long seed) implements Serializable {
    /** A squared-loss cell. */
    public static Cell of(DataSpec data, ModelSpec model, int n, long seed) {
        return of(data, model, Loss.SQUARED, n, seed);
    }

    public static Cell of(DataSpec data, ModelSpec model, Loss loss, int n, long seed) {
        String id = String.format(
                "%s-L%d-d%d-%s-%s-%s%s-n%d-s%d",
                model.arch().id(),
                model.depth(),
                data.d(),
                data.tag(),
                model.trained().id(),
                model.activation().id(),
                loss.classification() ? "-" + loss.id() : "",
                n,
                seed);
        return new Cell(id, data, model, loss, n, seed);
    }

    /** The group this cell belongs to: everything but n and the seed. */
    public GroupKey group() {
        return new GroupKey(
                model.arch(),
                model.depth(),
                data.d(),
                data.kind(),
                data.labels(),
                model.trained(),
                model.activation(),
                loss);
    }

    /** The cost of training width m for {@code steps} steps, in flops ({@link ModelSpec#flopsPerStep}). */
    public double cost(int m, int steps) {
        return model.flopsPerStep(n, data.d(), data.outputs(), m) * steps;
    }

    public CellKey key() {
        return new CellKey(cellId, group(), n, seed);
    }
}
