package org.widthlaw.lib.data;

/**
 * n samples in row-major arrays: inputs x (n x d, every row of unit norm) and targets y (n x k);
 * for classification data, {@code test} holds the held-out set (or null) and {@code classOf} each
 * sample's class index (or null). Treated as immutable once built.
 */
public record Dataset(int n, int d, int k, double[] x, double[] y, Dataset test, int[] classOf) {
    public Dataset {
        if (x.length != n * d || y.length != n * k) {
            throw new IllegalArgumentException("dataset arrays do not match n=" + n + ", d=" + d + ", k=" + k);
        }
        if (classOf != null && classOf.length != n)
            throw new IllegalArgumentException("one class per sample is needed");
    }

    public Dataset(int n, int d, int k, double[] x, double[] y) {
        this(n, d, k, x, y, null, null);
    }

    /** The squared Frobenius norm of the targets. */
    public double targetNormSq() {
        double s = 0;
        for (double v : y) s += v * v;
        return s;
    }
}
