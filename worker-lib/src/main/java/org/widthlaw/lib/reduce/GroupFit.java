package org.widthlaw.lib.reduce;

import java.util.List;
import org.widthlaw.lib.fit.ScalingFit;

/** One group's law: its cells (sorted by n, then seed), the fit, the per-n summary and the theory table. */
public record GroupFit(GroupKey key, List<CellResult> cells, ScalingFit fit, List<PerN> perN, TheoryTable theory) {
    public GroupFit {
        cells = List.copyOf(cells);
        perN = List.copyOf(perN);
    }
}
