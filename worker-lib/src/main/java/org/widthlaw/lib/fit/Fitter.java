package org.widthlaw.lib.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Fits P*(n) for one group: linear and power law by least squares, a quadratic for the AIC
 * comparison, and bootstrap intervals that resample seeds within each n (so every resample keeps
 * every n), seeded so that the same points always give the same intervals.
 */
public final class Fitter {
    public static final int DEFAULT_RESAMPLES = 2000;

    private Fitter() {}

    public static ScalingFit fit(List<Point> all, long seed, int resamples) {
        if (resamples < 1000) throw new IllegalArgumentException("resamples must be >= 1000, got " + resamples);
        List<Point> pts = all.stream().filter(Point::measured).toList();
        List<Double> ratio = all.stream()
                .map(p -> p.measured() ? (double) p.minParams() / p.n() : Double.NaN)
                .toList();
        Map<Integer, List<Point>> byN = new TreeMap<>();
        for (Point p : pts) byN.computeIfAbsent(p.n(), k -> new ArrayList<>()).add(p);
        double nan = Double.NaN;
        if (byN.size() < 2) {
            return new ScalingFit(
                    all,
                    new ScalingFit.Linear(nan, nan, nan, nan, nan),
                    new ScalingFit.Power(nan, nan, nan, nan),
                    new ScalingFit.Aic(nan, nan, nan),
                    ScalingFit.INSUFFICIENT,
                    ratio,
                    resamples,
                    seed);
        }
        double[] n = pts.stream().mapToDouble(Point::n).toArray();
        double[] p = pts.stream().mapToDouble(Point::minParams).toArray();

        SimpleRegression lin = linear(n, p);
        SimpleRegression pow = power(n, p);

        double[] slopes = new double[resamples];
        double[] alphas = new double[resamples];
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Point>> strata = new ArrayList<>(byN.values());
        int total = pts.size();
        double[] bn = new double[total], bp = new double[total];
        for (int b = 0; b < resamples; b++) {
            int i = 0;
            for (List<Point> s : strata) {
                for (int j = 0; j < s.size(); j++) {
                    Point q = s.get(rng.nextInt(s.size()));
                    bn[i] = q.n();
                    bp[i++] = q.minParams();
                }
            }
            slopes[b] = linear(bn, bp).getSlope();
            alphas[b] = power(bn, bp).getSlope();
        }
        Arrays.sort(slopes);
        Arrays.sort(alphas);
        double aLo = percentile(slopes, 0.025), aHi = percentile(slopes, 0.975);
        double alLo = percentile(alphas, 0.025), alHi = percentile(alphas, 0.975);

        ScalingFit.Linear l = new ScalingFit.Linear(lin.getSlope(), lin.getIntercept(), aLo, aHi, lin.getRSquare());
        ScalingFit.Power pw = new ScalingFit.Power(pow.getSlope(), alLo, alHi, pow.getIntercept());
        ScalingFit.Aic aic = aic(n, p, lin, pow, byN.size());
        return new ScalingFit(all, l, pw, aic, verdict(alLo, alHi), ratio, resamples, seed);
    }

    /** docs/METHOD.md section 6, in this order: linear, super-linear, sub-linear, inconclusive. */
    public static String verdict(double lo, double hi) {
        if (Double.isNaN(lo) || Double.isNaN(hi)) return ScalingFit.INCONCLUSIVE;
        if ((lo >= 0.9 && hi <= 1.1) || (lo <= 1 && hi >= 1)) return ScalingFit.LINEAR;
        if (lo > 1.1) return ScalingFit.SUPER_LINEAR;
        if (hi < 0.9) return ScalingFit.SUB_LINEAR;
        return ScalingFit.INCONCLUSIVE;
    }

    static SimpleRegression linear(double[] x, double[] y) {
        SimpleRegression r = new SimpleRegression(true);
        for (int i = 0; i < x.length; i++) r.addData(x[i], y[i]);
        return r;
    }

    static SimpleRegression power(double[] x, double[] y) {
        SimpleRegression r = new SimpleRegression(true);
        for (int i = 0; i < x.length; i++) r.addData(StrictMath.log(x[i]), StrictMath.log(y[i]));
        return r;
    }

    /** Linear interpolation between order statistics of a sorted sample. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    private static ScalingFit.Aic aic(
            double[] n, double[] p, SimpleRegression lin, SimpleRegression pow, int distinctN) {
        int len = n.length;
        double rssLin = 0, rssPow = 0;
        for (int i = 0; i < len; i++) {
            double el = p[i] - (lin.getSlope() * n[i] + lin.getIntercept());
            double ep = p[i] - StrictMath.exp(pow.getIntercept()) * StrictMath.pow(n[i], pow.getSlope());
            rssLin += el * el;
            rssPow += ep * ep;
        }
        double quad = Double.NaN;
        if (distinctN >= 3 && len >= 4) {
            OLSMultipleLinearRegression q = new OLSMultipleLinearRegression();
            double[][] xs = new double[len][];
            for (int i = 0; i < len; i++) xs[i] = new double[] {n[i], n[i] * n[i]};
            q.newSampleData(p.clone(), xs);
            quad = aicOf(q.calculateResidualSumOfSquares(), len, 4);
        }
        return new ScalingFit.Aic(aicOf(rssLin, len, 3), aicOf(rssPow, len, 3), quad);
    }

    private static double aicOf(double rss, int len, int k) {
        double floor = 1e-12;
        return len * StrictMath.log(Math.max(rss, floor) / len) + 2 * k;
    }
}
