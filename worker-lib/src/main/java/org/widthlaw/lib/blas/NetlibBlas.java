package org.widthlaw.lib.blas;

import java.util.logging.Logger;

/**
 * {@link Blas} over dev.ludovic.netlib (the BLAS that Spark and Breeze call). netlib picks its
 * native JNI backend when an OpenBLAS library can be loaded and otherwise a pure-Java one; the
 * pure-Java case is logged as a warning once, never chosen silently.
 */
final class NetlibBlas implements Blas {
    private static final Logger LOG = Logger.getLogger(NetlibBlas.class.getName());
    static final NetlibBlas INSTANCE = create();

    private final dev.ludovic.netlib.blas.BLAS impl;
    private final String name;
    private final boolean isNative;

    private static NetlibBlas create() {
        NativeOpenBlas.prepare();
        return new NetlibBlas(dev.ludovic.netlib.blas.BLAS.getInstance());
    }

    NetlibBlas(dev.ludovic.netlib.blas.BLAS impl) {
        this.impl = impl;
        this.isNative = impl instanceof dev.ludovic.netlib.blas.NativeBLAS;
        this.name = "netlib-" + impl.getClass().getSimpleName();
        if (isNative) {
            LOG.info("BLAS backend: " + name + " (native)");
        } else {
            LOG.warning("BLAS backend: " + name + " (pure Java fallback; no native BLAS could be loaded)");
        }
    }

    @Override
    public void gemm(
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
            int ldc) {
        if (m == 0 || n == 0) return;
        // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: swap the operands.
        impl.dgemm(
                transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, offB, ldb, a, offA, lda, beta, c, offC, ldc);
    }

    @Override
    public void sgemm(
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
            int ldc) {
        if (m == 0 || n == 0) return;
        impl.sgemm(
                transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, offB, ldb, a, offA, lda, beta, c, offC, ldc);
    }

    @Override
    public void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("BLAS threads must be >= 1, got " + threads);
        NativeOpenBlas.setThreads(threads);
    }

    @Override
    public int threads() {
        return isNative ? NativeOpenBlas.threads() : 1;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String library() {
        return isNative ? NativeOpenBlas.info().config() : "none";
    }

    @Override
    public String kernel() {
        return isNative ? NativeOpenBlas.info().core() : "none";
    }
}
