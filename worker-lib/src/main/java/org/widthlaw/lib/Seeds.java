package org.widthlaw.lib;

/**
 * The one place where seeds are derived. A cell seed s gives a data seed (the same for every n,
 * so sample sets nest), a label seed, a teacher seed and, per probe width m, an init seed. Each is
 * SplitMix64's finaliser applied along the chain (s, stream[, m]); nothing else enters a probe's
 * randomness, so its result does not depend on the executor, the thread or the order of probes.
 */
public final class Seeds {
    public static final long STREAM_DATA = 1;
    public static final long STREAM_LABELS = 2;
    public static final long STREAM_TEACHER = 3;
    public static final long STREAM_INIT = 4;
    public static final long STREAM_POWER = 5;
    public static final long STREAM_BOOTSTRAP = 6;
    public static final long STREAM_PROJECTION = 7;
    public static final long STREAM_SHUFFLE = 8;

    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    /** SplitMix64's output function (Steele, Lea, Flood 2014). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed derived from a chain of parts; order matters. */
    public static long derive(long... parts) {
        long h = 0x5EED5EED5EED5EEDL;
        for (long p : parts) h = mix64(h + GAMMA + mix64(p + GAMMA));
        return h;
    }

    public static long data(long cellSeed) {
        return derive(cellSeed, STREAM_DATA);
    }

    public static long labels(long cellSeed) {
        return derive(cellSeed, STREAM_LABELS);
    }

    public static long teacher(long cellSeed) {
        return derive(cellSeed, STREAM_TEACHER);
    }

    public static long init(long cellSeed, int width) {
        return derive(cellSeed, STREAM_INIT, width);
    }

    public static long power(long cellSeed, int width) {
        return derive(cellSeed, STREAM_POWER, width);
    }

    /**
     * The SGD sample order of epoch {@code epoch} (0-based) of every probe of a cell: a permutation
     * of 0..n-1 by Fisher-Yates, index j for position i drawn as floor(u (i + 1) / 2^31) from a
     * 31-bit u = mix64 of (shuffle seed, i) (bias below (i + 1) / 2^31). It depends on the cell seed,
     * n and the epoch only, not on the width, so the probes of a cell see the same minibatches (and
     * train in one batch), and a probe continued from a checkpoint at epoch t draws epoch t's order.
     */
    public static int[] shuffle(long cellSeed, int n, int epoch) {
        long s = derive(cellSeed, STREAM_SHUFFLE, epoch);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            long u = mix64(s + GAMMA * (i + 1)) >>> 33;
            int j = (int) ((u * (i + 1)) >>> 31);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
