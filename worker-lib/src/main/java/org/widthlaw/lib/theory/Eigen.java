package org.widthlaw.lib.theory;

import org.netlib.util.intW;

/**
 * Eigenvalues of a symmetric matrix by LAPACK's dsyev (netlib's Java LAPACK: the implicit QL/QR
 * algorithm, robust on the rank-deficient Gram matrices of narrow networks).
 */
public final class Eigen {
    private Eigen() {}

    /** The eigenvalues of the symmetric n x n matrix a (row-major; only read), in ascending order. */
    public static double[] symmetric(double[] a, int n) {
        // Scale to a largest entry of 1 first: LAPACK's own rescaling (dlascl) of very small or large
        // matrices can loop forever in the Java translation; the eigenvalues scale back exactly.
        double max = 0;
        for (double v : a) {
            if (!Double.isFinite(v)) throw new ArithmeticException("the matrix has a non-finite entry");
            max = Math.max(max, Math.abs(v));
        }
        double[] w = new double[n];
        if (max == 0) return w;
        double[] copy = new double[a.length];
        for (int i = 0; i < a.length; i++) copy[i] = a[i] / max;
        var lapack = dev.ludovic.netlib.lapack.JavaLAPACK.getInstance();
        double[] query = new double[1];
        intW info = new intW(0);
        lapack.dsyev("N", "U", n, copy, n, w, query, -1, info);
        double[] work = new double[Math.max(3 * n, (int) query[0])];
        info = new intW(0);
        lapack.dsyev("N", "U", n, copy, n, w, work, work.length, info);
        if (info.val != 0) throw new ArithmeticException("dsyev did not converge (info " + info.val + ")");
        for (int i = 0; i < n; i++) w[i] *= max;
        return w;
    }
}
