package org.widthlaw.lib.data;

/**
 * n samples in row-major arrays: inputs x (n x d, every row of unit norm) and targets y (n x k).
 * Treated as immutable once built.
 */
public record Dataset(int n, int d, int k, double[] x, double[] y) {
    public Dataset {
        if (x.length != n * d || y.length != n * k) {
            throw new IllegalArgumentException("dataset arrays do not match n=" + n + ", d=" + d + ", k=" + k);
        }
    }

    /** The squared Frobenius norm of the targets. */
    public double targetNormSq() {
        double s = 0;
        for (double v : y) s += v * v;
        return s;
    }
}
