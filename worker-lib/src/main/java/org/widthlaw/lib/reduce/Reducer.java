package org.widthlaw.lib.reduce;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.widthlaw.lib.Seeds;
import org.widthlaw.lib.fit.CensoredFit;
import org.widthlaw.lib.fit.Fitter;
import org.widthlaw.lib.fit.Point;
import org.widthlaw.lib.fit.ScalingFit;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.search.CellStatus;

/**
 * From cell results to the law of every group (docs/METHOD.md section 6): groups the cells,
 * sorts each group by n and seed, fits P*(n) with a bootstrap seeded from the job hash and the
 * group, summarises m* and P* per n, and lays the theory beside them. Pure: plain lists in,
 * records out.
 */
public final class Reducer {
    private Reducer() {}

    /**
     * The law of each group, in group order. {@code jobHash} (hexadecimal) seeds the bootstraps;
     * {@code outputs} is the number of targets per sample (for the degrees-of-freedom bound). Cnn
     * groups have the filter size {@link ModelSpec#DEFAULT_KERNEL}.
     */
    public static List<GroupFit> reduce(List<CellResult> cells, String jobHash, int outputs) {
        return reduce(cells, jobHash, outputs, ModelSpec.DEFAULT_KERNEL, false, CensoredFit::mle, CensoredFit.ENGINE);
    }

    /**
     * The same, with the filter size q of the job's cnn groups ({@code kernel}, q x q when {@code
     * kernel2d}; for their parameter counts, ignored by the other families) and the censored law's estimate from {@code estimator}
     * (named {@code engine}); its bootstrap interval always refits with {@link CensoredFit#mle}.
     */
    public static List<GroupFit> reduce(
            List<CellResult> cells,
            String jobHash,
            int outputs,
            int kernel,
            boolean kernel2d,
            CensoredFit.Estimator estimator,
            String engine) {
        Map<GroupKey, Map<Integer, List<CellResult>>> groups = new TreeMap<>();
        for (CellResult c : cells) {
            groups.computeIfAbsent(c.group(), x -> new TreeMap<>())
                    .computeIfAbsent(c.budget(), x -> new ArrayList<>())
                    .add(c);
        }
        long base = Long.parseUnsignedLong(jobHash, 16);
        List<GroupFit> out = new ArrayList<>();
        for (Map.Entry<GroupKey, Map<Integer, List<CellResult>>> e : groups.entrySet()) {
            // One bootstrap seed for every budget of a group: differences between budgets are the data's.
            long seed = Seeds.derive(
                    base, Seeds.STREAM_BOOTSTRAP, e.getKey().toString().hashCode());
            List<GroupFit> perBudget = new ArrayList<>();
            for (Map.Entry<Integer, List<CellResult>> b : e.getValue().entrySet()) {
                List<CellResult> rows = new ArrayList<>(b.getValue());
                rows.sort(Comparator.comparingInt(CellResult::n).thenComparingLong(CellResult::seed));
                ModelSpec model = model(e.getKey(), kernel, kernel2d);
                List<Point> pts = rows.stream()
                        .map(c -> point(c, model, e.getKey().d(), outputs))
                        .toList();
                perBudget.add(new GroupFit(
                        e.getKey(),
                        b.getKey(),
                        rows,
                        Fitter.fit(pts, seed, Fitter.DEFAULT_RESAMPLES),
                        perN(rows),
                        TheoryTable.of(e.getKey(), rows, outputs),
                        false,
                        Optional.empty(),
                        CensoredFit.fit(pts, seed, CensoredFit.RESAMPLES, estimator, engine)));
            }
            int k = perBudget.size();
            boolean bound = k >= 2 && budgetBound(perBudget.get(k - 2), perBudget.get(k - 1));
            Optional<ScalingFit> law =
                    asymptoticLaw(e.getKey(), perBudget.get(k - 1).cells(), outputs, kernel, kernel2d, seed);
            for (GroupFit g : perBudget) out.add(g.with(bound, law));
        }
        return out;
    }

    /**
     * Whether a group's law moves between two budgets (docs/METHOD.md section 6): alpha changes by
     * more than the half-width of its 95% interval at the larger budget; or the largest n with a
     * measured P* is measured only at the larger budget; or there the median P* / n changes by more
     * than half the range of P* / n across seeds at the larger budget.
     */
    static boolean budgetBound(GroupFit smaller, GroupFit larger) {
        double a0 = smaller.fit().power().alpha(), a1 = larger.fit().power().alpha();
        double half =
                0.5 * (larger.fit().power().alphaHi() - larger.fit().power().alphaLo());
        if (Double.isFinite(a0) && Double.isFinite(a1) && Double.isFinite(half) && Math.abs(a1 - a0) > half) {
            return true;
        }
        Optional<PerN> r0 = lastMeasured(smaller), r1 = lastMeasured(larger);
        if (r1.isEmpty()) return false;
        if (r0.isEmpty() || r0.get().n() < r1.get().n()) return true;
        if (r0.get().n() != r1.get().n()) return false;
        double n = r1.get().n();
        PerN.Spread p0 = r0.get().minParams().orElseThrow(),
                p1 = r1.get().minParams().orElseThrow();
        return Math.abs(p1.median() - p0.median()) / n > 0.5 * (p1.max() - p1.min()) / n;
    }

    /**
     * The law of P(m*_inf) against n over the cells with an estimate (P at the real width m*_inf,
     * rounded to a whole count for the fit), with the group's bootstrap seed; empty with fewer than
     * two values of n.
     */
    static Optional<ScalingFit> asymptoticLaw(
            GroupKey key, List<CellResult> cells, int outputs, int kernel, boolean kernel2d, long seed) {
        ModelSpec model = model(key, kernel, kernel2d);
        List<Point> pts = new ArrayList<>();
        for (CellResult c : cells) {
            if (c.asymptotic().isEmpty()) continue;
            double m = c.asymptotic().get().mInf();
            long p = Math.max(1, Math.round(model.paramsAt(m, key.d(), outputs)));
            pts.add(new Point(c.n(), c.seed(), Math.max(1, (int) Math.round(m)), p, CellStatus.FOUND));
        }
        if (pts.stream().mapToInt(Point::n).distinct().count() < 2) return Optional.empty();
        return Optional.of(Fitter.fit(pts, seed, Fitter.DEFAULT_RESAMPLES));
    }

    /** The per-n summary of the largest n with a measured P*. */
    private static Optional<PerN> lastMeasured(GroupFit g) {
        Optional<PerN> out = Optional.empty();
        for (PerN p : g.perN()) if (p.minParams().isPresent()) out = Optional.of(p);
        return out;
    }

    /** The group's model, for parameter counts (the scales do not enter P); {@code kernel}: q of cnn. */
    static ModelSpec model(GroupKey key, int kernel, boolean kernel2d) {
        return new ModelSpec(
                key.arch(),
                key.depth(),
                key.trained(),
                key.activation(),
                Double.NaN,
                0.5,
                key.arch() == Arch.CNN ? kernel : 0,
                key.arch() == Arch.CNN && kernel2d);
    }

    /**
     * The fit's view of a cell: unreached cells carry no m*, and P at their widest failed width as
     * the bound P* exceeds (a right-censored point).
     */
    static Point point(CellResult c, ModelSpec model, int d, int outputs) {
        long bound = c.minWidth().isEmpty() && c.maxFailedWidth().isPresent()
                ? model.params(c.maxFailedWidth().getAsInt(), d, outputs)
                : 0;
        return new Point(c.n(), c.seed(), c.minWidth().orElse(0), c.minParams().orElse(0), c.status(), bound);
    }

    /** Median, min and max of m* and P* across seeds, per n (docs/METHOD.md section 5). */
    static List<PerN> perN(List<CellResult> cells) {
        Map<Integer, List<CellResult>> byN = new TreeMap<>();
        for (CellResult c : cells)
            byN.computeIfAbsent(c.n(), x -> new ArrayList<>()).add(c);
        List<PerN> out = new ArrayList<>();
        for (Map.Entry<Integer, List<CellResult>> e : byN.entrySet()) {
            List<Double> m = new ArrayList<>();
            List<Double> p = new ArrayList<>();
            int unreached = 0;
            for (CellResult c : e.getValue()) {
                if (c.minWidth().isPresent() && c.status() != CellStatus.UNREACHED) {
                    m.add((double) c.minWidth().getAsInt());
                    p.add((double) c.minParams().getAsLong());
                } else {
                    unreached++;
                }
            }
            out.add(new PerN(e.getKey(), e.getValue().size(), unreached, spread(m), spread(p)));
        }
        return out;
    }

    static Optional<PerN.Spread> spread(List<Double> values) {
        if (values.isEmpty()) return Optional.empty();
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int s = v.size();
        double median = s % 2 == 1 ? v.get(s / 2) : 0.5 * (v.get(s / 2 - 1) + v.get(s / 2));
        return Optional.of(new PerN.Spread(median, v.get(0), v.get(s - 1)));
    }

    /** True when a cell enters the fit (found or non-monotone, with an m*). */
    public static boolean measured(CellResult c) {
        return c.status() != CellStatus.UNREACHED && c.minWidth().isPresent();
    }
}
