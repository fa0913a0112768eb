package org.widthlaw.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.widthlaw.lib.search.SearchState;
import org.widthlaw.lib.search.WidthSearch;
import org.widthlaw.lib.train.ProbeResult;

/**
 * The time a sweep still needs (docs/ARCHITECTURE.md, "Progress and status"): a cost model
 * calibrated by the throughput measured so far. The cost model is the planner's: a probe of width
 * m costs {@code ModelSpec.flopsPerStep(n, d, k, m)} per step, and the probes a search still asks
 * for run to the largest budget (they close in on the threshold, where training takes longest).
 * Which widths those are comes from running each unfinished search on to its end against a
 * predicted threshold: while bracketing, the larger of the width it asks for next and twice the
 * degrees-of-freedom width (the planner's guess); while bisecting, the middle of the bracket. A
 * cell's searches at several budgets share their probes, so a width is counted once per cell.
 * Throughput is seconds per flop over the probes trained so far, on the steps they ran. The
 * estimate is the remaining flops times that rate over the slots, and at least the longest cell's
 * remaining chain (a search's probes run one after another).
 */
final class Eta {
    private Eta() {}

    /** An unfinished search: a cell and its state (a cell has one per budget). */
    record Open(Cell cell, SearchState state) {}

    /** The work left: flops in all, and the flops of the costliest single cell. */
    record Work(double flops, double longestCell, int probes) {}

    /** Seconds per flop over {@code trained}, on the steps each ran; empty before any probe ran. */
    static OptionalDouble secsPerFlop(
            Collection<ProbeResult> trained, java.util.function.Function<String, Cell> cells) {
        double secs = 0, flops = 0;
        for (ProbeResult r : trained) {
            Cell c = cells.apply(r.cellId());
            if (c == null) continue;
            int steps = Math.max(1, r.steps() - r.resumedFrom() + 1);
            flops += c.cost(r.width(), steps);
            secs += r.secs();
        }
        return flops > 0 && secs > 0 ? OptionalDouble.of(secs / flops) : OptionalDouble.empty();
    }

    /**
     * The widths a search still asks for, by running it on to its end against the predicted
     * threshold (see the class comment).
     */
    static List<Integer> widthsLeft(Cell c, SearchState s) {
        int threshold = switch (s.phase()) {
            case BRACKET -> Math.max(s.pending().get(0), 2 * Planner.dofWidth(c, s.spec()));
            case BISECT -> s.lastFail() + (s.firstSuccess() - s.lastFail() + 1) / 2;
            default -> 0; // the audit: its widths succeed or not, each is one probe either way
        };
        List<Integer> out = new ArrayList<>();
        SearchState st = s;
        while (!st.done()) {
            int w = st.pending().get(0);
            out.add(w);
            st = WidthSearch.next(st, w, w >= threshold);
        }
        return out;
    }

    /**
     * The work the open searches still need, each width at {@code steps} steps; {@code recorded}
     * says whether a cell's width already has a result that answers every budget (trained ahead),
     * which costs nothing more.
     */
    static Work left(List<Open> open, int steps, BiPredicate<String, Integer> recorded) {
        Map<String, TreeSet<Integer>> widths = new LinkedHashMap<>();
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Open o : open) {
            if (o.state().done()) continue;
            cells.put(o.cell().cellId(), o.cell());
            TreeSet<Integer> ws = widths.computeIfAbsent(o.cell().cellId(), k -> new TreeSet<>());
            for (int w : widthsLeft(o.cell(), o.state()))
                if (!recorded.test(o.cell().cellId(), w)) ws.add(w);
        }
        double total = 0, longest = 0;
        int probes = 0;
        for (Map.Entry<String, TreeSet<Integer>> e : widths.entrySet()) {
            Cell c = cells.get(e.getKey());
            double f = 0;
            for (int w : e.getValue()) f += c.cost(w, steps);
            total += f;
            longest = Math.max(longest, f);
            probes += e.getValue().size();
        }
        return new Work(total, longest, probes);
    }

    /** Seconds left: the work at the measured rate, over the slots, and no less than the longest cell's chain. */
    static double seconds(Work w, double secsPerFlop, int slots) {
        return secsPerFlop * Math.max(w.flops() / Math.max(1, slots), w.longestCell());
    }
}
