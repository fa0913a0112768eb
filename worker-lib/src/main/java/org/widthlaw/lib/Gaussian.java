package org.widthlaw.lib;

import java.util.SplittableRandom;

/**
 * Standard normal draws by the Box-Muller transform over a {@link SplittableRandom}: written out
 * here so that the numbers are the same on every JDK (RandomGenerator.nextGaussian's algorithm
 * is an implementation detail), with StrictMath: Math.log/sin/cos may differ by an ulp between
 * interpreted and JIT-compiled code, so the same seed could give other bits in another run. Not thread-safe; one per
 * stream.
 */
public final class Gaussian {
    private final SplittableRandom rng;
    private double spare;
    private boolean hasSpare;

    public Gaussian(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    public double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]
        double u2 = rng.nextDouble();
        double r = Math.sqrt(-2.0 * StrictMath.log(u1));
        double t = 2.0 * Math.PI * u2;
        spare = r * StrictMath.sin(t);
        hasSpare = true;
        return r * StrictMath.cos(t);
    }

    /** +1 or -1 with equal probability. */
    public double nextSign() {
        return rng.nextBoolean() ? 1.0 : -1.0;
    }

    public void fill(double[] a) {
        for (int i = 0; i < a.length; i++) a[i] = next();
    }
}
