package org.widthlaw.lib.fit;

import java.util.List;

/**
 * The scaling law of one group (docs/METHOD.md section 6). Intervals are 95% percentile intervals of
 * a seeded bootstrap; NaN where the points cannot determine a value.
 */
public record ScalingFit(
        List<Point> points,
        Linear linear,
        Power power,
        Aic aic,
        Quadratic quadratic,
        String verdict,
        List<Double> paramsPerSample,
        int resamples,
        long bootstrapSeed) {
    /** alpha's 95% interval lies within [0.9, 1.1]. */
    public static final String LINEAR = "linear";
    /** alpha's interval contains 1 but is wider than [0.9, 1.1]. */
    public static final String CONSISTENT_WITH_LINEAR = "consistent-with-linear";

    public static final String SUPER_LINEAR = "super-linear";
    public static final String SUB_LINEAR = "sub-linear";
    /** The interval could not be computed. */
    public static final String INCONCLUSIVE = "inconclusive";
    /**
     * Fewer than {@link Fitter#MIN_N_FOR_VERDICT} distinct n with a measured m*: no verdict (with
     * two, the fits are still given; with fewer, they are NaN).
     */
    public static final String INSUFFICIENT = "insufficient-data";

    /** P* = a n + b. */
    public record Linear(double a, double b, double aLo, double aHi, double r2) {}

    /**
     * P* = c n^alpha, fitted as log P* = alpha log n + log c (natural logarithms): {@code c} is the
     * multiplier, {@code logC} its natural logarithm.
     */
    public record Power(double alpha, double alphaLo, double alphaHi, double c, double logC) {
        /** The law at n. */
        public double at(double n) {
            return c * Math.pow(n, alpha);
        }
    }

    /** P* = a0 + a1 n + a2 n^2 by least squares, whenever its AIC is given; NaN otherwise. */
    public record Quadratic(double a0, double a1, double a2) {}

    /** Akaike's criterion of each model on the P* scale: N ln(RSS/N) + 2 k. */
    public record Aic(double linear, double power, double quadratic) {}
}
