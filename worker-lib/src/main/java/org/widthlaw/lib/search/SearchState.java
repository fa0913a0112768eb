package org.widthlaw.lib.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one cell's width search, immutable: bracket by doubling from min_width until a
 * width succeeds, bisect between the last failure and the first success down to the resolution,
 * then (optionally) audit monotonicity. {@link #pending()} names the widths to train next;
 * {@link WidthSearch#next} folds a result in.
 *
 * @param lastFail largest failing width below the smallest success (0: none yet)
 * @param firstSuccess smallest succeeding width (0: none yet)
 */
public record SearchState(
        SearchSpec spec,
        Phase phase,
        int lastFail,
        int firstSuccess,
        List<Integer> pending,
        boolean nonMonotone,
        int probes)
        implements Serializable {
    public enum Phase {
        BRACKET,
        BISECT,
        AUDIT,
        DONE
    }

    public SearchState {
        pending = List.copyOf(pending);
    }

    public boolean done() {
        return phase == Phase.DONE;
    }

    /** found | unreached | non-monotone, once done. */
    public CellStatus status() {
        if (!done()) throw new IllegalStateException("search not finished");
        if (firstSuccess == 0) return CellStatus.UNREACHED;
        return nonMonotone ? CellStatus.NON_MONOTONE : CellStatus.FOUND;
    }

    /** The smallest width found to succeed (m*), or 0 when none did. */
    public int minWidth() {
        return firstSuccess;
    }

    /** The largest width that failed below m* (for unreached cells: max_width), or 0. */
    public int maxFailedWidth() {
        return lastFail;
    }

    SearchState with(Phase p, int lo, int hi, List<Integer> next, boolean nm) {
        return new SearchState(spec, p, lo, hi, next, nm, probes + 1);
    }

    /**
     * The audit widths of docs/METHOD.md section 5: max(m* + 1, round(1.1 m*)) and max(m* + 1,
     * round(1.25 m*)), each at most {@code maxWidth}; none when m* is already m_hi.
     */
    static List<Integer> auditWidths(int mStar, int maxWidth) {
        List<Integer> w = new ArrayList<>();
        int a = Math.min(maxWidth, Math.max(mStar + 1, (int) Math.round(1.1 * mStar)));
        int b = Math.min(maxWidth, Math.max(mStar + 1, (int) Math.round(1.25 * mStar)));
        if (a > mStar) w.add(a);
        if (b > mStar && b != a) w.add(b);
        return w;
    }
}
