package org.widthlaw.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * How far into the budget those probes run is measured per cell ({@link #budgetShares}) on its
 * finished probes near its threshold, the whole budget until there are such. Throughput
 * ({@link Rate}) is measured on the probes trained so far: the seconds of a GD step as a fixed
 * part plus a part per flop (fitted over the probes' widths, so that the small first widths,
 * whose steps are mostly fixed cost, do not make the large ones look slow; steps three times
 * slower than the fit, a cold JIT's, left out), and the seconds a probe spends outside its steps. The estimate is the remaining probes' time over the
 * slots, and at least the longest cell's remaining chain (a search's probes run one after another).
 */
final class Eta {
    private Eta() {}

    /** An unfinished search: a cell and its state (a cell has one per budget). */
    record Open(Cell cell, SearchState state) {}

    /** The widths each cell still needs, each to be trained for {@code steps} steps. */
    record Work(Map<Cell, List<Integer>> widths, int budget, Map<String, Double> share) {
        int probes() {
            return widths.values().stream().mapToInt(List::size).sum();
        }

        /** The steps a probe of {@code c} is expected to run: its share of the budget (all of it when unmeasured). */
        int steps(Cell c) {
            return (int) Math.max(1, Math.round(budget * share.getOrDefault(c.cellId(), 1.0)));
        }
    }

    /**
     * Measured throughput: a probe takes {@code probeSecs} outside its GD steps, and a step of
     * {@code f} flops takes {@code stepSecs + f * flopSecs}.
     */
    record Rate(double probeSecs, double stepSecs, double flopSecs) {
        double secs(Cell c, int width, int steps) {
            return probeSecs + steps * (stepSecs + flopSecs * c.cost(width, 1));
        }
    }

    /**
     * The rate measured on {@code trained} (weighted by the steps each ran: a long probe's step
     * time is the better measured); empty before any probe ran a step.
     */
    static java.util.Optional<Rate> rate(
            Collection<ProbeResult> trained, java.util.function.Function<String, Cell> cells) {
        List<double[]> points = new ArrayList<>(); // flops per step, seconds per step, steps
        double outside = 0;
        for (ProbeResult r : trained) {
            Cell c = cells.apply(r.cellId());
            if (c == null) continue;
            double steps = Math.max(1, r.steps() - r.resumedFrom() + 1);
            points.add(new double[] {c.cost(r.width(), 1), r.stepSecs() / steps, steps});
            outside += Math.max(0, r.secs() - r.stepSecs());
        }
        if (points.isEmpty()) return java.util.Optional.empty();
        double[] ab = fit(points, null);
        if (ab == null) return java.util.Optional.empty();
        // Once more without the probes whose steps ran over 3x slower than the fit (a cold JIT, a
        // busy machine): the first probes of a run are such, and they are not the rest's pace.
        double[] again = fit(points, ab);
        if (again != null) ab = again;
        return java.util.Optional.of(new Rate(outside / points.size(), ab[0], ab[1]));
    }

    /**
     * Seconds per step as a + b x (x: flops per step), least squares weighted by steps x flops (the
     * costly probes, whose time is the best measured); with {@code drop}, without the points
     * slower than 3x that fit. Null when nothing is left to fit.
     */
    private static double[] fit(List<double[]> points, double[] drop) {
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] p : points) {
            double x = p[0], y = p[1], w = p[2] * x;
            if (drop != null && y > 3 * (drop[0] + drop[1] * x)) continue;
            sw += w;
            sx += w * x;
            sy += w * y;
            sxx += w * x * x;
            sxy += w * x * y;
        }
        if (!(sw > 0) || !(sy > 0)) return null;
        double mx = sx / sw, my = sy / sw, vxx = sxx / sw - mx * mx, vxy = sxy / sw - mx * my;
        double b = vxx > 1e-12 * mx * mx ? vxy / vxx : -1;
        double a = my - b * mx;
        if (b < 0 || a < 0) { // too few widths, or noise: all of a step's time per flop
            b = sxy / sxx;
            a = 0;
            if (!(b > 0)) {
                b = 0;
                a = my;
            }
        }
        return new double[] {a, b};
    }

    /**
     * Per cell, the share of the largest budget that its probes still to come will run, measured
     * on its own finished probes near its threshold (a width within a factor 2 of the smallest
     * success so far of its search at the largest budget): the probes that remain are such. A cell
     * with fewer than two such probes is absent (the whole budget is assumed): another cell's share
     * says little, as larger n need more steps.
     */
    static Map<String, Double> budgetShares(
            Collection<ProbeResult> trained, java.util.function.Function<String, SearchState> top) {
        Map<String, double[]> sums = new LinkedHashMap<>(); // steps, budget, probes
        for (ProbeResult r : trained) {
            SearchState s = top.apply(r.cellId());
            if (s == null || s.firstSuccess() == 0) continue;
            if (r.width() * 2 < s.firstSuccess() || r.width() > 2 * s.firstSuccess()) continue;
            double[] v = sums.computeIfAbsent(r.cellId(), k -> new double[3]);
            v[0] += r.steps();
            v[1] += Math.max(r.budget(), r.steps());
            v[2]++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((id, v) -> {
            if (v[2] >= 2 && v[1] > 0) out.put(id, Math.min(1, Math.max(0.02, v[0] / v[1])));
        });
        return out;
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
     * The widths the open searches still need, each to be trained for {@code steps} steps;
     * {@code recorded} says whether a cell's width already has a result that answers every
     * budget (trained ahead), which costs nothing more.
     */
    static Work left(List<Open> open, int budget, BiPredicate<String, Integer> recorded) {
        return left(open, budget, Map.of(), recorded);
    }

    /** The same, each cell's probes running their measured {@code share} of the budget. */
    static Work left(List<Open> open, int budget, Map<String, Double> share, BiPredicate<String, Integer> recorded) {
        Map<Cell, TreeSet<Integer>> widths = new LinkedHashMap<>();
        for (Open o : open) {
            if (o.state().done()) continue;
            TreeSet<Integer> ws = widths.computeIfAbsent(o.cell(), k -> new TreeSet<>());
            for (int w : widthsLeft(o.cell(), o.state()))
                if (!recorded.test(o.cell().cellId(), w)) ws.add(w);
        }
        Map<Cell, List<Integer>> out = new LinkedHashMap<>();
        widths.forEach((c, ws) -> out.put(c, List.copyOf(ws)));
        return new Work(out, budget, share);
    }

    /** Seconds left: the work at the measured rate, over the slots, and no less than the longest cell's chain. */
    static double seconds(Work w, Rate rate, int slots) {
        double total = 0, longest = 0;
        for (Map.Entry<Cell, List<Integer>> e : w.widths().entrySet()) {
            double t = 0;
            for (int width : e.getValue()) t += rate.secs(e.getKey(), width, w.steps(e.getKey()));
            total += t;
            longest = Math.max(longest, t);
        }
        return Math.max(total / Math.max(1, slots), longest);
    }
}
