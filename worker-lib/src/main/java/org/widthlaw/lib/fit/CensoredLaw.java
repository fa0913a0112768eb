package org.widthlaw.lib.fit;

/**
 * The power law fitted with unreached cells as right-censored points (docs/METHOD.md section 6):
 * an accelerated-failure-time model log P* = intercept + alpha log n + scale e, e standard
 * extreme-value (Weibull P*), by maximum likelihood; alpha's 95% percentile interval from the
 * seeded bootstrap over seeds within each n. {@code engine} names what computed the estimate;
 * {@code points} and {@code censored} count the points and the censored ones among them.
 */
public record CensoredLaw(
        double alpha,
        double alphaLo,
        double alphaHi,
        double intercept,
        double scale,
        int points,
        int censored,
        int resamples,
        String engine) {}
