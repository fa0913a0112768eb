package org.widthlaw.lib.search;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one cell's width search, immutable: bracket by doubling from min_width until a
 * width succeeds (or, warm-started, outward from a guessed width), bisect between the last failure
 * and the first success down to the resolution, then (optionally) audit monotonicity.
 * {@link #pending()} names the widths to train next; {@link WidthSearch#next} folds a result in.
 *
 * @param lastFail largest failing width below the smallest success (0: none yet)
 * @param firstSuccess smallest succeeding width (0: none yet)
 * @param step how far a warm-started bracket moves outward next (0: a cold search, which doubles)
 */
public record SearchState(
        SearchSpec spec,
        Phase phase,
        int lastFail,
        int firstSuccess,
        List<Integer> pending,
        boolean nonMonotone,
        int probes,
        int step)
        implements Serializable {
    public enum Phase {
        /** Upward: every width tried so far failed. */
        BRACKET,
        /** Downward from a warm start's success: no failure below it yet. */
        DOWN,
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
        return with(p, lo, hi, next, nm, step);
    }

    SearchState with(Phase p, int lo, int hi, List<Integer> next, boolean nm, int nextStep) {
        return new SearchState(spec, p, lo, hi, next, nm, probes + 1, nextStep);
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
