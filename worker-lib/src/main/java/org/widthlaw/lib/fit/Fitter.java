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
    /** Distinct values of n with a measured m* a verdict needs (docs/METHOD.md section 6). */
    public static final int MIN_N_FOR_VERDICT = 3;

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
                    new ScalingFit.Power(nan, nan, nan, nan, nan),
                    new ScalingFit.Aic(nan, nan, nan),
                    new ScalingFit.Quadratic(nan, nan, nan),
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
        double logC = pow.getIntercept();
        ScalingFit.Power pw = new ScalingFit.Power(pow.getSlope(), alLo, alHi, StrictMath.exp(logC), logC);
        QuadraticFit quad = quadratic(n, p, byN.size());
        ScalingFit.Aic aic = aic(n, p, lin, pw, quad);
        String verdict = byN.size() < MIN_N_FOR_VERDICT ? ScalingFit.INSUFFICIENT : verdict(alLo, alHi);
        return new ScalingFit(all, l, pw, aic, quad.coefficients(), verdict, ratio, resamples, seed);
    }

    /**
     * The verdict on alpha's 95% interval [lo, hi] (docs/METHOD.md section 6), in this order:
     * {@code linear} when it lies within [0.9, 1.1]; {@code consistent-with-linear} when it contains
     * 1; {@code super-linear} when it lies above 1; {@code sub-linear} when it lies below 1;
     * {@code inconclusive} when it is not a number.
     */
    public static String verdict(double lo, double hi) {
        if (Double.isNaN(lo) || Double.isNaN(hi)) return ScalingFit.INCONCLUSIVE;
        if (lo >= 0.9 && hi <= 1.1) return ScalingFit.LINEAR;
        if (lo <= 1 && hi >= 1) return ScalingFit.CONSISTENT_WITH_LINEAR;
        return lo > 1 ? ScalingFit.SUPER_LINEAR : ScalingFit.SUB_LINEAR;
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

    /** A quadratic fit: its coefficients and residual sum of squares (NaN when not fitted). */
    private record QuadraticFit(ScalingFit.Quadratic coefficients, double rss) {}

    /** The quadratic by least squares, when there are at least 3 distinct n and 4 points; else NaN. */
    private static QuadraticFit quadratic(double[] n, double[] p, int distinctN) {
        int len = n.length;
        if (distinctN < 3 || len < 4) {
            return new QuadraticFit(new ScalingFit.Quadratic(Double.NaN, Double.NaN, Double.NaN), Double.NaN);
        }
        OLSMultipleLinearRegression q = new OLSMultipleLinearRegression();
        double[][] xs = new double[len][];
        for (int i = 0; i < len; i++) xs[i] = new double[] {n[i], n[i] * n[i]};
        q.newSampleData(p.clone(), xs);
        double[] beta = q.estimateRegressionParameters();
        return new QuadraticFit(new ScalingFit.Quadratic(beta[0], beta[1], beta[2]), q.calculateResidualSumOfSquares());
    }

    /** Each model's AIC from its residuals on the P* scale; the quadratic's only when it was fitted. */
    private static ScalingFit.Aic aic(
            double[] n, double[] p, SimpleRegression lin, ScalingFit.Power pow, QuadraticFit quad) {
        int len = n.length;
        double rssLin = 0, rssPow = 0;
        for (int i = 0; i < len; i++) {
            double el = p[i] - (lin.getSlope() * n[i] + lin.getIntercept());
            double ep = p[i] - StrictMath.exp(pow.logC()) * StrictMath.pow(n[i], pow.alpha());
            rssLin += el * el;
            rssPow += ep * ep;
        }
        double aicQuad = Double.isNaN(quad.rss()) ? Double.NaN : aicOf(quad.rss(), len, 4);
        return new ScalingFit.Aic(aicOf(rssLin, len, 3), aicOf(rssPow, len, 3), aicQuad);
    }

    /**
     * Akaike's criterion of a least-squares fit with Gaussian errors: N ln(RSS / N) + 2 k, k counting
     * the error variance (so 3 for a line or power law, 4 for the quadratic); RSS floored at 1e-12.
     */
    static double aicOf(double rss, int len, int k) {
        double floor = 1e-12;
        return len * StrictMath.log(Math.max(rss, floor) / len) + 2 * k;
    }
}
