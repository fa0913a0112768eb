package org.widthlaw.lib.blas;

import org.bytedeco.openblas.global.openblas;

/**
 * The LAPACK inside the build's OpenBLAS (LAPACKE, row-major), loaded with the BLAS by
 * {@link NativeOpenBlas}. Reentrant: the routines keep no state between calls.
 */
public final class NativeLapack {
    private NativeLapack() {}

    /** True when the native library loaded (and {@code widthlaw.blas.java} is not set). */
    public static boolean available() {
        return NativeOpenBlas.prepare() && NativeOpenBlas.loaded();
    }

    /**
     * Eigenvalues only (jobz = N) of the symmetric n x n row-major matrix a, upper triangle read, into
     * w ascending. a is overwritten. Throws ArithmeticException when LAPACK reports a failure.
     */
    public static void dsyevd(int n, double[] a, double[] w) {
        int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'U', n, a, n, w);
        if (info != 0) throw new ArithmeticException("LAPACKE_dsyevd failed (info " + info + ")");
    }
}
