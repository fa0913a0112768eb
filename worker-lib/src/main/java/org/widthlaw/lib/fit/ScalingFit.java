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
        String verdict,
        List<Double> paramsPerSample,
        int resamples,
        long bootstrapSeed) {
    public static final String LINEAR = "linear";
    public static final String SUPER_LINEAR = "super-linear";
    public static final String SUB_LINEAR = "sub-linear";
    public static final String INCONCLUSIVE = "inconclusive";
    /** Fewer than two distinct n with a measured m*: no law can be fitted. */
    public static final String INSUFFICIENT = "insufficient-data";

    /** P* = a n + b. */
    public record Linear(double a, double b, double aLo, double aHi, double r2) {}

    /** log P* = alpha log n + c (natural logarithms). */
    public record Power(double alpha, double alphaLo, double alphaHi, double c) {}

    /** Akaike's criterion of each model on the P* scale: N ln(RSS/N) + 2 k. */
    public record Aic(double linear, double power, double quadratic) {}
}
