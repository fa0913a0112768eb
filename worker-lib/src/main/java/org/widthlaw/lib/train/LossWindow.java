package org.widthlaw.lib.train;

import java.util.OptionalDouble;

/**
 * The recent history of one probe's relative loss, and what it says about convergence
 * (docs/METHOD.md section 4). Keeps log r(t) of the last steps in a ring; {@link #assess} fits
 * log r against t by least squares over the last window W = max(200, ceil(0.1 (t + 1))) steps and
 * over the window before it, and classifies the trend.
 */
public final class LossWindow {
    /** The smallest window, in steps. */
    public static final int MIN_WINDOW = 200;
    /** Two windows' rates "agree" when they differ by at most this fraction of the larger. */
    public static final double AGREE = 0.25;

    private final double[] logR;
    private int last = -1;

    /** A window for a probe that runs at most {@code maxSteps} steps. */
    public LossWindow(int maxSteps) {
        this.logR = new double[2 * window(maxSteps) + 2];
    }

    /** The window W at step t. */
    public static int window(int t) {
        return Math.max(MIN_WINDOW, (int) Math.ceil(0.1 * (t + 1)));
    }

    /** Records r(t); a step seen before is ignored (a batch may evaluate a step twice). */
    public void add(int t, double r) {
        if (t <= last) return;
        if (t != last + 1 && last >= 0)
            throw new IllegalArgumentException("steps must follow each other: " + last + ", " + t);
        last = t;
        logR[t % logR.length] = StrictMath.log(r);
    }

    /** The evidence: the rate (-slope of log r), its class and, when converging, the extrapolated crossing step. */
    public record Evidence(double rate, Trend trend, OptionalDouble crossing) {}

    /**
     * The evidence at the last recorded step for a tolerance {@code tol} and the largest budget
     * {@code lastBudget}. Needs two full windows of history; with less, the rate is fitted over
     * what there is and the trend is erratic.
     */
    public Evidence assess(double tol, int lastBudget) {
        int t = last;
        int w = window(t);
        double rEnd = Math.exp(logR[t % logR.length]);
        double need = StrictMath.log(rEnd / tol);
        if (t + 1 < 2 * w) {
            double rate = -slope(Math.max(0, t - w + 1), t);
            return new Evidence(rate, Trend.ERRATIC, OptionalDouble.empty());
        }
        double recent = -slope(t - w + 1, t);
        double before = -slope(t - 2 * w + 1, t - w);
        if (recent > 0 && Math.abs(recent - before) <= AGREE * Math.max(Math.abs(recent), Math.abs(before))) {
            return new Evidence(recent, Trend.CONVERGING, OptionalDouble.of(t + need / recent));
        }
        if (Math.max(recent, 0) * 10 * (lastBudget - t) < need) {
            return new Evidence(recent, Trend.STALLED, OptionalDouble.empty());
        }
        return new Evidence(recent, Trend.ERRATIC, OptionalDouble.empty());
    }

    /** Least-squares slope of log r over steps from..to (inclusive), all in the ring. */
    double slope(int from, int to) {
        int n = to - from + 1;
        if (n < 2) return 0;
        double mt = 0.5 * (from + to), my = 0;
        for (int s = from; s <= to; s++) my += logR[s % logR.length];
        my /= n;
        double sxy = 0, sxx = 0;
        for (int s = from; s <= to; s++) {
            double dt = s - mt;
            sxy += dt * (logR[s % logR.length] - my);
            sxx += dt * dt;
        }
        return sxy / sxx;
    }
}
