package org.widthlaw.lib.blas;

/**
 * The narrow BLAS interface the trainer's dense products go through: row-major matrices stored
 * in {@code double[]} with offsets and leading dimensions. {@link #name()} says which backend
 * actually runs; it is recorded in every probe row.
 */
public interface Blas {
    /** C = alpha * op(A) * op(B) + beta * C, all row-major; op(A) is m x k, op(B) is k x n. */
    void gemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            double alpha,
            double[] a,
            int offA,
            int lda,
            double[] b,
            int offB,
            int ldb,
            double beta,
            double[] c,
            int offC,
            int ldc);

    /** The same in float32. */
    void sgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            int offA,
            int lda,
            float[] b,
            int offB,
            int ldb,
            float beta,
            float[] c,
            int offC,
            int ldc);

    /** Sets the native library's thread count, process-wide (no effect on a pure-Java backend). */
    void setThreads(int threads);

    int threads();

    /** Backend name, e.g. "netlib-JNIBLAS" (native) or "netlib-VectorBLAS" (pure Java). */
    String name();

    /** The native library as it describes itself (OpenBLAS: version, build and kernel), or "none". */
    String library();

    /** The kernel the native library chose for this CPU (OpenBLAS core name, e.g. "Haswell"), or "none". */
    String kernel();

    /** The process-wide backend, chosen once. */
    static Blas get() {
        return NetlibBlas.INSTANCE;
    }
}
