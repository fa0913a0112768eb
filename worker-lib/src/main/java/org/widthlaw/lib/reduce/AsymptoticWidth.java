package org.widthlaw.lib.reduce;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeStatus;
import org.widthlaw.lib.train.Trend;

/**
 * The asymptotic width m*_inf of a cell (docs/METHOD.md section 5): the width below which the
 * time to reach the tolerance diverges. Always an estimate, never a measured m*(T). From the
 * crossing steps t_c(m) of the cell's successes and the extrapolated crossings of its converging
 * failures, it fits t(m) = A (m - m_inf)^(-gamma), gamma > 0, by least squares in log t over a grid
 * of m_inf between the widest stalled probe whose loss no longer falls (such widths bound m_inf
 * from below) and the narrowest informing width; the interval is a seeded bootstrap over those
 * probes. Empty with fewer than three informing widths or when no gamma > 0 fits.
 */
public final class AsymptoticWidth {
    /** Candidate values of m_inf per fit. */
    static final int GRID = 400;
    /** Bootstrap resamples. */
    public static final int RESAMPLES = 400;

    private AsymptoticWidth() {}

    /** The estimate with its 95% bootstrap interval, the fitted exponent and how many widths informed it. */
    public record Estimate(double mInf, double lo, double hi, double gamma, int widths) {}

    /** One informing probe: width and (measured or extrapolated) crossing step. */
    record Point(double m, double t) {}

    public static Optional<Estimate> of(List<ProbeResult> probes, long seed) {
        List<Point> pts = new ArrayList<>();
        double floor = 0;
        for (ProbeResult p : probes) {
            if (p.crossing().isPresent()) {
                pts.add(new Point(p.width(), Math.max(1, p.crossing().getAsInt())));
            } else if (p.trend().isPresent()
                    && p.trend().get() == Trend.CONVERGING
                    && p.extrapolatedCrossing().isPresent()) {
                pts.add(new Point(p.width(), p.extrapolatedCrossing().getAsDouble()));
            } else if (stalled(p) && p.rate().orElse(0) <= 0) {
                // Only a loss that no longer falls bounds m_inf from below: "stalled" is relative to
                // the last budget, and a stalled probe whose loss still falls can cross later (seen:
                // a width stalled at 320 000 steps crossed at 886 448).
                floor = Math.max(floor, p.width());
            }
        }
        if (pts.stream().mapToDouble(Point::m).distinct().count() < 3) return Optional.empty();
        double[] best = fit(pts, floor);
        if (best == null) return Optional.empty();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] boot = new double[RESAMPLES];
        int ok = 0;
        for (int b = 0; b < RESAMPLES; b++) {
            List<Point> re = new ArrayList<>(pts.size());
            for (int i = 0; i < pts.size(); i++) re.add(pts.get(rng.nextInt(pts.size())));
            if (re.stream().mapToDouble(Point::m).distinct().count() < 3) continue;
            double[] f = fit(re, floor);
            if (f != null) boot[ok++] = f[0];
        }
        if (ok < RESAMPLES / 2) return Optional.empty();
        double[] v = Arrays.copyOf(boot, ok);
        Arrays.sort(v);
        int widths = (int) pts.stream().mapToDouble(Point::m).distinct().count();
        return Optional.of(new Estimate(best[0], quantile(v, 0.025), quantile(v, 0.975), best[1], widths));
    }

    /** {m_inf, gamma} minimising the squared error of log t, or null when no gamma > 0 fits. */
    private static boolean stalled(ProbeResult p) {
        return p.status() == ProbeStatus.EARLY_FAIL
                || p.trend().filter(t -> t == Trend.STALLED).isPresent();
    }

    static double[] fit(List<Point> pts, double floor) {
        double minM = pts.stream().mapToDouble(Point::m).min().orElseThrow();
        if (floor >= minM) return null;
        double[] best = null;
        double bestRss = Double.POSITIVE_INFINITY;
        for (int i = 0; i < GRID; i++) {
            double mInf = floor + (minM - floor) * i / GRID;
            int n = pts.size();
            double sx = 0, sy = 0;
            double[] x = new double[n], y = new double[n];
            for (int j = 0; j < n; j++) {
                x[j] = Math.log(pts.get(j).m() - mInf);
                y[j] = Math.log(pts.get(j).t());
                sx += x[j];
                sy += y[j];
            }
            double mx = sx / n, my = sy / n, sxx = 0, sxy = 0;
            for (int j = 0; j < n; j++) {
                sxx += (x[j] - mx) * (x[j] - mx);
                sxy += (x[j] - mx) * (y[j] - my);
            }
            if (sxx == 0) continue;
            double slope = sxy / sxx;
            if (slope >= 0) continue; // gamma = -slope must be > 0
            double rss = 0;
            for (int j = 0; j < n; j++) {
                double e = y[j] - (my + slope * (x[j] - mx));
                rss += e * e;
            }
            if (rss < bestRss) {
                bestRss = rss;
                best = new double[] {mInf, -slope};
            }
        }
        return best;
    }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }
}
