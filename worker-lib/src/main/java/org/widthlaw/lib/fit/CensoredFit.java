package org.widthlaw.lib.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The censored power law ({@link CensoredLaw}): the accelerated-failure-time likelihood of log P*
 * on log n with extreme-value errors, the model of Spark MLlib's AFTSurvivalRegression. For point
 * i with y = log P (P* when measured, the bound when censored), x = log n and
 * z = (y - b0 - alpha x) / sigma, the log-likelihood is delta (-log sigma + z) - e^z, delta = 1 for a
 * measured point and 0 for a censored one. The estimate comes from an {@link Estimator} (the driver
 * passes MLlib's); the bootstrap refits with {@link #mle}, the same likelihood maximised here.
 */
public final class CensoredFit {
    /** Bootstrap resamples of the censored law (each a likelihood maximisation). */
    public static final int RESAMPLES = 1000;

    private CensoredFit() {}

    /** Fits (intercept, alpha, scale) to log n, log P and which points are measured. */
    @FunctionalInterface
    public interface Estimator {
        double[] fit(double[] logN, double[] logP, boolean[] measured);
    }

    /** The engine name of {@link #mle}. */
    public static final String ENGINE = "widthlaw maximum likelihood (Nelder-Mead)";

    /**
     * The censored law of a group's points: measured points and censored ones (unreached cells with
     * a bound). Empty without a censored point (then it is the least-squares law's business), or
     * with fewer than two distinct n among the measured points.
     */
    public static Optional<CensoredLaw> fit(
            List<Point> all, long seed, int resamples, Estimator estimator, String engine) {
        List<Point> pts = all.stream().filter(p -> p.measured() || p.censored()).toList();
        int censored = (int) pts.stream().filter(Point::censored).count();
        long measuredN = pts.stream()
                .filter(Point::measured)
                .mapToInt(Point::n)
                .distinct()
                .count();
        if (censored == 0 || measuredN < 2) return Optional.empty();
        double[][] d = arrays(pts);
        double[] est = estimator.fit(d[0], d[1], measured(pts));
        Map<Integer, List<Point>> byN = new TreeMap<>();
        for (Point p : pts) byN.computeIfAbsent(p.n(), k -> new ArrayList<>()).add(p);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] alphas = new double[resamples];
        int ok = 0;
        List<Point> sample = new ArrayList<>(pts.size());
        for (int b = 0; b < resamples; b++) {
            sample.clear();
            for (List<Point> s : byN.values()) {
                for (int j = 0; j < s.size(); j++) sample.add(s.get(rng.nextInt(s.size())));
            }
            if (sample.stream()
                            .filter(Point::measured)
                            .mapToInt(Point::n)
                            .distinct()
                            .count()
                    < 2) continue;
            double[][] r = arrays(sample);
            double a = mle(r[0], r[1], measured(sample))[1];
            if (Double.isFinite(a)) alphas[ok++] = a;
        }
        double lo = Double.NaN, hi = Double.NaN;
        if (ok >= resamples / 2) {
            double[] sorted = Arrays.copyOf(alphas, ok);
            Arrays.sort(sorted);
            lo = Fitter.percentile(sorted, 0.025);
            hi = Fitter.percentile(sorted, 0.975);
        }
        return Optional.of(new CensoredLaw(est[1], lo, hi, est[0], est[2], pts.size(), censored, resamples, engine));
    }

    /** (log n, log P) of the points: P* when measured, the bound when censored. */
    static double[][] arrays(List<Point> pts) {
        double[] x = new double[pts.size()], y = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            Point p = pts.get(i);
            x[i] = StrictMath.log(p.n());
            y[i] = StrictMath.log(p.measured() ? p.minParams() : p.boundParams());
        }
        return new double[][] {x, y};
    }

    static boolean[] measured(List<Point> pts) {
        boolean[] m = new boolean[pts.size()];
        for (int i = 0; i < m.length; i++) m[i] = pts.get(i).measured();
        return m;
    }

    /** The AFT log-likelihood at (b0, alpha, log sigma). */
    public static double logLikelihood(double[] x, double[] y, boolean[] measured, double b0, double a, double s) {
        double sigma = Math.exp(s), ll = 0;
        for (int i = 0; i < x.length; i++) {
            double z = (y[i] - b0 - a * x[i]) / sigma;
            ll += (measured[i] ? -s + z : 0) - Math.exp(z);
        }
        return ll;
    }

    /**
     * The maximum-likelihood (intercept, alpha, scale), started from least squares on the measured
     * points; NaN when the simplex does not converge.
     */
    public static double[] mle(double[] x, double[] y, boolean[] measured) {
        SimpleRegression ls = new SimpleRegression(true);
        double sumSq = 0;
        int count = 0;
        for (int i = 0; i < x.length; i++) {
            if (measured[i]) {
                ls.addData(x[i], y[i]);
                count++;
            }
        }
        double b0 = ls.getIntercept(), a = ls.getSlope();
        for (int i = 0; i < x.length; i++) {
            if (measured[i]) sumSq += Math.pow(y[i] - b0 - a * x[i], 2);
        }
        double s0 = Math.log(Math.max(1e-3, Math.sqrt(sumSq / Math.max(1, count))));
        MultivariateFunction f = p -> logLikelihood(x, y, measured, p[0], p[1], p[2]);
        try {
            PointValuePair best = new SimplexOptimizer(1e-13, 1e-15)
                    .optimize(
                            new MaxEval(20_000),
                            new ObjectiveFunction(f),
                            GoalType.MAXIMIZE,
                            new InitialGuess(new double[] {b0, a, s0}),
                            new NelderMeadSimplex(new double[] {0.2, 0.05, 0.2}));
            // A second start from the first optimum: Nelder-Mead can stop on a ridge.
            best = new SimplexOptimizer(1e-13, 1e-15)
                    .optimize(
                            new MaxEval(20_000),
                            new ObjectiveFunction(f),
                            GoalType.MAXIMIZE,
                            new InitialGuess(best.getPoint()),
                            new NelderMeadSimplex(new double[] {0.02, 0.005, 0.02}));
            double[] p = best.getPoint();
            return new double[] {p[0], p[1], Math.exp(p[2])};
        } catch (RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }
}
