package org.widthlaw.lib.train;

import java.io.Serial;
import java.io.Serializable;
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
     * What the window measured at step {@code t}, before any budget enters: the rates (-slope of
     * log r) over the last window and the one before it, {@code need} = ln(r(t) / tol), and whether
     * there were two full windows of history ({@code full}; without them {@code recent} is fitted
     * over what there is). A probe keeps its last two checks so that a larger budget can re-classify
     * them ({@link Trainer}, continuing a probe on a grown ladder).
     */
    public record Check(int t, double recent, double before, double need, boolean full) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** The evidence for the largest budget {@code lastBudget}. */
        public Evidence evidence(int lastBudget) {
            if (!full) return new Evidence(recent, Trend.ERRATIC, OptionalDouble.empty());
            if (recent > 0 && Math.abs(recent - before) <= AGREE * Math.max(Math.abs(recent), Math.abs(before))) {
                return new Evidence(recent, Trend.CONVERGING, OptionalDouble.of(t + need / recent));
            }
            if (Math.max(recent, 0) * 10 * (lastBudget - t) < need) {
                return new Evidence(recent, Trend.STALLED, OptionalDouble.empty());
            }
            return new Evidence(recent, Trend.ERRATIC, OptionalDouble.empty());
        }

        /** Whether the loss counts as stalled for the largest budget {@code lastBudget}. */
        public boolean stalled(int lastBudget) {
            return evidence(lastBudget).trend() == Trend.STALLED;
        }
    }

    /**
     * The evidence at the last recorded step for a tolerance {@code tol} and the largest budget
     * {@code lastBudget}. Needs two full windows of history; with less, the rate is fitted over
     * what there is and the trend is erratic.
     */
    public Evidence assess(double tol, int lastBudget) {
        return check(tol).evidence(lastBudget);
    }

    /** The measurement at the last recorded step for a tolerance {@code tol}. */
    public Check check(double tol) {
        int t = last;
        int w = window(t);
        double rEnd = Math.exp(logR[t % logR.length]);
        double need = StrictMath.log(rEnd / tol);
        if (t + 1 < 2 * w) return new Check(t, -slope(Math.max(0, t - w + 1), t), Double.NaN, need, false);
        return new Check(t, -slope(t - w + 1, t), -slope(t - 2 * w + 1, t - w), need, true);
    }

    /** The last recorded step (-1 before the first). */
    public int last() {
        return last;
    }

    /** log r of the last recorded steps, oldest first: as many as the window keeps, up to {@link #last}. */
    public double[] recent() {
        int count = Math.min(logR.length, last + 1);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) out[i] = logR[(last - count + 1 + i) % logR.length];
        return out;
    }

    /**
     * A window for a probe that runs at most {@code maxSteps} steps, continuing one whose last
     * recorded step was {@code last} with log r {@code recent} of the steps up to it (from
     * {@link #recent}); {@code maxSteps} may be larger than the first window's.
     */
    public LossWindow(int maxSteps, int last, double[] recent) {
        this(maxSteps);
        if (recent.length > last + 1) throw new IllegalArgumentException("more history than steps");
        this.last = last;
        int keep = Math.min(recent.length, logR.length);
        for (int i = recent.length - keep; i < recent.length; i++) {
            logR[(last - recent.length + 1 + i) % logR.length] = recent[i];
        }
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
