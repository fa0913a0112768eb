package org.widthlaw.lib.search;

import java.util.ArrayList;
import java.util.List;
import org.widthlaw.lib.search.SearchState.Phase;

/** The width search as a pure state machine: {@link #start} and {@link #next}. */
public final class WidthSearch {
    private WidthSearch() {}

    public static SearchState start(SearchSpec spec) {
        return new SearchState(spec, Phase.BRACKET, 0, 0, List.of(spec.minWidth()), false, 0, 0);
    }

    /**
     * A warm start (docs/METHOD.md section 5): the bracket starts at a guessed width instead of
     * min_width and moves outward by {@code step}, then by steps that double: downward from a
     * success until a failure, upward from a failure until a success. The bracket is still closed by
     * a recorded failure and a recorded success (or by a success at min_width), so the bisection ends
     * at the same m* as a cold search whenever success is monotone in the width and the resolution
     * is 1.
     */
    public static SearchState start(SearchSpec spec, int guess, int step) {
        if (step < 1) throw new IllegalArgumentException("warm start step must be >= 1, got " + step);
        int first = Math.max(spec.minWidth(), Math.min(spec.maxWidth(), guess));
        return new SearchState(spec, Phase.BRACKET, 0, 0, List.of(first), false, 0, step);
    }

    /** Folds in the outcome of training at {@code width}, which must be pending. */
    public static SearchState next(SearchState s, int width, boolean success) {
        if (!s.pending().contains(width)) {
            throw new IllegalArgumentException("width " + width + " is not pending in " + s.pending());
        }
        SearchSpec spec = s.spec();
        switch (s.phase()) {
            case BRACKET -> {
                if (success && s.step() > 0 && s.probes() == 0) return down(s, width, s.step());
                if (success) return settle(s, s.lastFail(), width);
                if (s.step() > 0) return up(s, width, s.probes() == 0 ? s.step() : 2 * s.step());
                if (width >= spec.maxWidth()) return s.with(Phase.DONE, width, 0, List.of(), false);
                int nextWidth = (int) Math.min((long) width * 2, spec.maxWidth());
                return s.with(Phase.BRACKET, width, 0, List.of(nextWidth), false);
            }
            case DOWN -> {
                if (!success) return settle(s, width, s.firstSuccess());
                return down(s, width, 2 * s.step());
            }
            case BISECT -> {
                int lo = success ? s.lastFail() : width;
                int hi = success ? width : s.firstSuccess();
                return settle(s, lo, hi);
            }
            case AUDIT -> {
                List<Integer> rest = new ArrayList<>(s.pending());
                rest.remove(Integer.valueOf(width));
                boolean nm = s.nonMonotone() || !success;
                return s.with(rest.isEmpty() ? Phase.DONE : Phase.AUDIT, s.lastFail(), s.firstSuccess(), rest, nm);
            }
            default -> throw new IllegalStateException("search already finished");
        }
    }

    /** After the success at {@code hi} with no failure below it: {@code step} further down, or m* = min_width. */
    private static SearchState down(SearchState s, int hi, int step) {
        if (hi <= s.spec().minWidth()) return settle(s, 0, hi);
        int next = Math.max(s.spec().minWidth(), hi - step);
        return s.with(Phase.DOWN, 0, hi, List.of(next), false, step);
    }

    /** After the failure at {@code lo} with no success above it: {@code step} further up, or unreached. */
    private static SearchState up(SearchState s, int lo, int step) {
        if (lo >= s.spec().maxWidth()) return s.with(Phase.DONE, lo, 0, List.of(), false);
        int next = (int) Math.min((long) lo + step, s.spec().maxWidth());
        return s.with(Phase.BRACKET, lo, 0, List.of(next), false, step);
    }

    /** Bisect further, or finish (with the audit when asked for). */
    private static SearchState settle(SearchState s, int lo, int hi) {
        SearchSpec spec = s.spec();
        if (lo == 0 || spec.resolved(lo, hi)) {
            List<Integer> audit = spec.audit() ? SearchState.auditWidths(hi, spec.maxWidth()) : List.of();
            if (!audit.isEmpty()) return s.with(Phase.AUDIT, lo, hi, audit, false);
            return s.with(Phase.DONE, lo, hi, List.of(), false);
        }
        return s.with(Phase.BISECT, lo, hi, List.of(lo + (hi - lo) / 2), false);
    }

    /**
     * The widths this search may ask for within its next {@code steps} probes, whatever their
     * outcomes: the pending widths and, breadth first, those of every branch below them. Training
     * them ahead (when a round would leave slots idle) never changes where the search ends: it
     * still consumes only its own next width, which is then already recorded.
     */
    public static java.util.List<Integer> lookahead(SearchState s, int steps) {
        java.util.LinkedHashSet<Integer> out = new java.util.LinkedHashSet<>();
        java.util.List<SearchState> frontier = java.util.List.of(s);
        for (int level = 0; level < steps && !frontier.isEmpty(); level++) {
            java.util.List<SearchState> next = new ArrayList<>();
            for (SearchState st : frontier) {
                if (st.done()) continue;
                int w = st.pending().get(0);
                out.add(w);
                next.add(next(st, w, true));
                next.add(next(st, w, false));
            }
            frontier = next;
        }
        return new ArrayList<>(out);
    }

    /**
     * A rough count of the probes this search still needs, for progress estimates: while
     * bracketing, the doublings to a width twice the current one plus the bisection below it; while
     * bisecting, the halvings left; while auditing, the audit probes.
     */
    public static int expectedRemaining(SearchState s) {
        return switch (s.phase()) {
            case DONE -> 0;
            case AUDIT -> s.pending().size();
            case BISECT -> 32 - Integer.numberOfLeadingZeros(Math.max(1, s.firstSuccess() - s.lastFail() - 1));
            case DOWN ->
                1
                        + 32
                        - Integer.numberOfLeadingZeros(Math.max(1, s.step()))
                        + (s.spec().audit() ? 2 : 0);
            case BRACKET ->
                2
                        + (32
                                - Integer.numberOfLeadingZeros(
                                        Math.max(1, s.pending().get(0))))
                        + (s.spec().audit() ? 2 : 0);
        };
    }
}
