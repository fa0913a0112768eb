package org.widthlaw.lib.fit;

import org.widthlaw.lib.search.CellStatus;

/** One cell's outcome as the fit sees it: n, the cell seed, m*, P* = P(m*) and the cell status. */
public record Point(int n, long seed, int minWidth, long minParams, CellStatus status) {
    /** Cells with a measured m* (found or non-monotone) enter the fit; unreached ones are censored. */
    public boolean measured() {
        return minWidth > 0 && status != CellStatus.UNREACHED;
    }
}
