package org.widthlaw.lib.reduce;

import java.io.Serializable;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.data.DataKind;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.model.Trained;

/**
 * A scaling-law group: everything about a cell but n and its seed (docs/METHOD.md section 6).
 * Groups sort by {@link #toString()}, which is also the key the group's bootstrap seed derives
 * from, so its form is part of the results and must not change: the training loss enters it only
 * when it is a classification loss (squared groups keep the key they had before losses were listed).
 */
public record GroupKey(
        Arch arch, int depth, int d, DataKind data, Labels labels, Trained trained, Activation activation, Loss loss)
        implements Comparable<GroupKey>, Serializable {
    public GroupKey {
        Checks.notNull(loss, "loss");
    }

    /** A squared-loss group. */
    public GroupKey(Arch arch, int depth, int d, DataKind data, Labels labels, Trained trained, Activation activation) {
        this(arch, depth, d, data, labels, trained, activation, Loss.SQUARED);
    }

    @Override
    public String toString() {
        return "GroupKey[arch=" + arch.id() + ", depth=" + depth + ", d=" + d + ", data=" + data.id() + ", labels="
                + labels.id() + ", trained=" + trained.id() + ", activation=" + activation.id()
                + (loss.classification() ? ", loss=" + loss.id() : "") + "]";
    }

    @Override
    public int compareTo(GroupKey o) {
        return toString().compareTo(o.toString());
    }
}
