package org.widthlaw.lib.fit;

import org.widthlaw.lib.search.CellStatus;

/**
 * One cell's outcome as the fit sees it: n, the cell seed, m*, P* = P(m*), the cell status and,
 * for an unreached cell, {@code boundParams}: P at its widest failed width, which P* exceeds (a
 * right-censored point; 0 when unknown).
 */
public record Point(int n, long seed, int minWidth, long minParams, CellStatus status, long boundParams) {
    /** A point without a censoring bound. */
    public Point(int n, long seed, int minWidth, long minParams, CellStatus status) {
        this(n, seed, minWidth, minParams, status, 0);
    }

    /** An unreached cell with a known bound: P* > boundParams. */
    public boolean censored() {
        return !measured() && boundParams > 0;
    }

    /** Cells with a measured m* (found or non-monotone) enter the fit; unreached ones are censored. */
    public boolean measured() {
        return minWidth > 0 && status != CellStatus.UNREACHED;
    }
}
