package org.widthlaw.lib.theory;

import org.apache.commons.math3.exception.MaxCountExceededException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.widthlaw.lib.blas.NativeLapack;

/**
 * Eigenvalues of a symmetric matrix. The native LAPACK that ships inside the build's OpenBLAS
 * ({@code LAPACKE_dsyevd}, divide and conquer; thread-safe, robust on the rank-deficient Gram
 * matrices of narrow networks) when it loaded, else commons-math's symmetric QL solver, whose
 * iterations are capped (it throws rather than loops). No path can run forever: netlib's Java
 * translation of LAPACK, whose {@code dlascl} was seen to loop without end, is never used.
 */
public final class Eigen {
    private Eigen() {}

    /** The eigenvalues of the symmetric n x n matrix a (row-major; only read), in ascending order. */
    public static double[] symmetric(double[] a, int n) {
        if (a.length != (long) n * n)
            throw new IllegalArgumentException("need " + n + " x " + n + " entries, got " + a.length);
        // Scale to a largest entry of 1: the eigenvalues scale back exactly, and neither solver meets
        // overflow or underflow on the tiny or huge Grams of extreme widths.
        double max = 0;
        for (double v : a) {
            if (!Double.isFinite(v)) throw new ArithmeticException("the matrix has a non-finite entry");
            max = Math.max(max, Math.abs(v));
        }
        double[] w = new double[n];
        if (max == 0 || n == 0) return w;
        double[] copy = new double[a.length];
        for (int i = 0; i < a.length; i++) copy[i] = a[i] / max;
        if (NativeLapack.available()) {
            NativeLapack.dsyevd(n, copy, w);
        } else {
            w = javaSymmetric(copy, n);
        }
        for (int i = 0; i < n; i++) w[i] *= max;
        return w;
    }

    /** The pure-Java path (commons-math), ascending; also the independent check in the tests. */
    static double[] javaSymmetric(double[] a, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) m[i][j] = 0.5 * (a[i * n + j] + a[j * n + i]);
        }
        try {
            double[] w = new EigenDecomposition(new Array2DRowRealMatrix(m, false)).getRealEigenvalues();
            java.util.Arrays.sort(w);
            return w;
        } catch (MaxCountExceededException e) {
            throw new ArithmeticException("the symmetric eigen-solver did not converge: " + e.getMessage());
        }
    }

    /** Which solver runs: "openblas-lapacke-dsyevd" or "commons-math". */
    public static String solver() {
        return NativeLapack.available() ? "openblas-lapacke-dsyevd" : "commons-math";
    }
}
