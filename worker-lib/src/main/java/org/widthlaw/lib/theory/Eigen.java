package org.widthlaw.lib.theory;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/** Eigenvalues of a symmetric matrix (commons-math's decomposition: accurate to rounding). */
public final class Eigen {
    private Eigen() {}

    /** The eigenvalues of the symmetric n x n matrix a (row-major; only read), in ascending order. */
    public static double[] symmetric(double[] a, int n) {
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) m[i] = Arrays.copyOfRange(a, i * n, (i + 1) * n);
        double[] w = new EigenDecomposition(new Array2DRowRealMatrix(m, false)).getRealEigenvalues();
        Arrays.sort(w);
        return w;
    }
}
