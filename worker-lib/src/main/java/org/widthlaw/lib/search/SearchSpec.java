package org.widthlaw.lib.search;

import java.io.Serializable;
import org.widthlaw.lib.Checks;

/**
 * The width search of docs/METHOD.md section 5: widths in [minWidth, maxWidth]; bisection stops when
 * the bracket (largest failure, smallest success) is at most {@code resolution} wide, read as an
 * absolute width when >= 1 and as a fraction of the smallest success when below 1 (never finer
 * than 1); {@code audit} adds the monotonicity probes at 1.1 m* and 1.25 m*; {@code warmStart} lets
 * a cell start its bracket at the m* of the first seed at its n ({@link WidthSearch#start(SearchSpec,
 * int, int)}).
 */
public record SearchSpec(int minWidth, int maxWidth, double resolution, boolean audit, boolean warmStart)
        implements Serializable {
    public static final int MAX_WIDTH = 1 << 20;

    /** How far a warm start's first step reaches, as a fraction of the guessed width. */
    public static final double WARM_STEP = 0.1;

    /** A cold search (every cell brackets from min_width). */
    public SearchSpec(int minWidth, int maxWidth, double resolution, boolean audit) {
        this(minWidth, maxWidth, resolution, audit, false);
    }

    public SearchSpec {
        Checks.inRange(minWidth, 1, MAX_WIDTH, "search.min_width");
        Checks.inRange(maxWidth, minWidth, MAX_WIDTH, "search.max_width");
        Checks.positive(resolution, "search.resolution");
        if (resolution >= 1 && resolution != Math.rint(resolution)) {
            throw Checks.invalid(
                    "search.resolution", "must be a whole width >= 1 or a fraction in (0, 1), got " + resolution);
        }
    }

    public static SearchSpec defaults() {
        return new SearchSpec(1, 4096, 1, false);
    }

    /**
     * A cell's search: cold, or warm-started at {@code anchor} (the m* of the first seed at the
     * cell's n at the same budget; 0 when that search found none), first step {@link #WARM_STEP}
     * of it, at least 1.
     */
    public SearchState startFrom(int anchor) {
        if (!warmStart || anchor <= 0) return WidthSearch.start(this);
        return WidthSearch.start(this, anchor, Math.max(1, (int) Math.round(WARM_STEP * anchor)));
    }

    /** True when a bracket (lo failed, hi succeeded) is fine enough to stop. */
    boolean resolved(int lo, int hi) {
        int gap = hi - lo;
        if (resolution >= 1) return gap <= (int) resolution;
        return gap <= Math.max(1, (int) Math.floor(resolution * hi));
    }
}
