package org.widthlaw.driver;

import java.io.Serializable;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.model.ModelSpec;

/** One cell: (architecture, depth, d, data, labels, trained, n, seed), the unit of the width search. */
public record Cell(String cellId, DataSpec data, ModelSpec model, int n, long seed) implements Serializable {
    public static Cell of(DataSpec data, ModelSpec model, int n, long seed) {
        String id = String.format("%s-L%d-d%d-%s-%s-%s-n%d-s%d", model.arch(), model.depth(), data.d(), data.tag(),
                model.trained(), model.activation(), n, seed);
        return new Cell(id, data, model, n, seed);
    }

    /** The group this cell belongs to: everything but n and the seed. */
    public GroupKey group() {
        return new GroupKey(model.arch(), model.depth(), data.d(), data.kind(), data.labels(), model.trained(),
                model.activation());
    }

    /** The scaling-law group: (arch, depth, d, data, labels, trained, activation). */
    public record GroupKey(String arch, int depth, int d, String data, String labels, String trained, String activation)
            implements Comparable<GroupKey> {
        @Override
        public int compareTo(GroupKey o) {
            return toString().compareTo(o.toString());
        }
    }
}
