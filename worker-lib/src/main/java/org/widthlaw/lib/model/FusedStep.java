package org.widthlaw.lib.model;

import java.util.Arrays;
import java.util.logging.Logger;

/**
 * The training step of the hot case in one pass per block of rows, without BLAS: one hidden ReLU
 * layer (depth 2: two-layer, or fc with L = 2), only W trained, one output, d at most
 * {@link #MAX_D}. Per block of {@link #ROWS} rows and per probe it computes Z = X W^T with the
 * output f = sum_c (s a_c) max(z_c, 0) while Z is still in cache, turns Z into
 * G = (f - y) (s a) [Z > 0] in place (for a classification {@link Loss}, dLoss/df in place of f - y), and accumulates dW^T += X^T G in registers.
 *
 * <p>W and s a are copied once per step into a transposed, zero-padded layout (d x m', m' the
 * width rounded up to two vectors), so the kernels run over whole SIMD vectors with no tail. The
 * arithmetic is fixed element by element (each z and each dW entry is one chain of fused
 * multiply-adds in a fixed order; f sums four or eight lane-wise chains in a fixed tree), so the
 * Vector API kernels ({@link VectorKernels}) and the scalar ones ({@link Kernels}) give the same
 * bits, wherever the step runs. The float32 step has the same shape in float.
 */
final class FusedStep {
    /** Rows per block: a block's Z for one probe (ROWS x m') stays in the L2 cache. */
    static final int ROWS = 64;
    /** Widths are padded to a multiple of two 256-bit vectors: 8 doubles, 16 floats. */
    static final int PAD64 = 8, PAD32 = 16;
    /** The largest input dimension the fused path takes (its X block stays in L1). */
    static final int MAX_D = 128;

    private static final Logger LOG = Logger.getLogger(FusedStep.class.getName());
    private static volatile boolean warned;

    private final Layout lay;
    private final int n, d;
    /** [probe] padded width m'_j and offset of probe j in wt, dwt (d m' each) and as (m' each). */
    private final int[] mp, wOff, aOff;

    private double[] wt, dwt, as, z, f;
    private float[] wtF, dwtF, asF, zF, fF;
    /** One sample's output, target and dLoss/df in double, for the float32 classification step. */
    private final double[] fi = new double[1], yi = new double[1], ri = new double[1];

    /**
     * Whether the fused path computes the step of this batch: the hot case, unless the system property
     * {@code widthlaw.fused} is false (for benchmarks that compare it with the BLAS path).
     */
    static boolean enabled(Layout lay, boolean relu) {
        return applies(lay, relu) && !"false".equals(System.getProperty("widthlaw.fused"));
    }

    /** Whether this batch is the hot case: see the class comment. */
    static boolean applies(Layout lay, boolean relu) {
        return relu
                && !lay.conv
                && lay.layers == 1
                && lay.trainsHidden
                && !lay.trainsOutput
                && lay.k == 1
                && lay.d <= MAX_D;
    }

    /** @param pad {@link #PAD64} for the float64 step, {@link #PAD32} for float32 */
    FusedStep(Layout lay, int n, int pad) {
        this.lay = lay;
        this.n = n;
        this.d = lay.d;
        int b = lay.batch;
        this.mp = new int[b];
        this.wOff = new int[b];
        this.aOff = new int[b];
        int w = 0, a = 0, widest = 0;
        for (int j = 0; j < b; j++) {
            mp[j] = (lay.widths[j] + pad - 1) / pad * pad;
            wOff[j] = w;
            aOff[j] = a;
            w = Math.addExact(w, Math.multiplyExact(d, mp[j]));
            a = Math.addExact(a, mp[j]);
            widest = Math.max(widest, mp[j]);
        }
        this.zSize = Math.multiplyExact(Math.min(ROWS, n), widest);
        this.wSize = w;
        this.aSize = a;
        if (!Kernels.VECTOR && !warned) {
            warned = true;
            LOG.warning("jdk.incubator.vector is not in the boot layer: the fused step runs its scalar kernels"
                    + " (the same bits, about 10x slower); add --add-modules=jdk.incubator.vector to the JVM");
        }
    }

    private final int zSize, wSize, aSize;

    /**
     * One step of every probe for {@code loss} (one output), in float64: value[j] = the loss in the units
     * of {@link Loss#sample} (for squared ||f_j(X) - y||^2), minMargin[j] = the smallest y f (a
     * classification loss; left alone for squared, and may then be null), and the gradient of every
     * probe's W into grad (full layout). The same kernels whatever the loss: only the residual between
     * forward and backward differs, f - y or dLoss/df.
     */
    void step(Loss loss, double[] theta, double[] x, double[] y, double[] grad, double[] value, double[] minMargin) {
        int b = lay.batch;
        boolean squared = loss == Loss.SQUARED;
        pack(theta);
        Arrays.fill(value, 0, b, 0.0);
        if (!squared) Arrays.fill(minMargin, 0, b, Double.POSITIVE_INFINITY);
        for (int r0 = 0; r0 < n; r0 += ROWS) {
            int rows = Math.min(ROWS, n - r0);
            for (int j = 0; j < b; j++) {
                int p = mp[j];
                Kernels.fusedForward(x, r0 * d, rows, d, wt, wOff[j], p, as, aOff[j], z, f);
                if (squared) Kernels.squaredResidual(f, y, r0, rows, 1, 1, f, value, j);
                else Kernels.lossResidual(loss, f, y, r0, rows, 1, 1, f, value, minMargin, j);
                Kernels.fusedResidual(z, rows, p, f, as, aOff[j]);
                Kernels.fusedBackward(x, r0 * d, rows, d, z, p, dwt, wOff[j], r0 == 0);
            }
        }
        unpack(dwt, grad);
    }

    /**
     * {@link #step(Loss, double[], double[], double[], double[], double[], double[])} in float32: losses
     * summed in double; a classification loss's loss, margin and dLoss/df computed in double from the
     * float output, dLoss/df rounded.
     */
    void step(Loss loss, float[] theta, float[] x, float[] y, float[] grad, double[] value, double[] minMargin) {
        int b = lay.batch;
        boolean squared = loss == Loss.SQUARED;
        pack(theta);
        Arrays.fill(value, 0, b, 0.0);
        if (!squared) Arrays.fill(minMargin, 0, b, Double.POSITIVE_INFINITY);
        for (int r0 = 0; r0 < n; r0 += ROWS) {
            int rows = Math.min(ROWS, n - r0);
            for (int j = 0; j < b; j++) {
                int p = mp[j];
                Kernels.fusedForward(x, r0 * d, rows, d, wtF, wOff[j], p, asF, aOff[j], zF, fF);
                if (squared) Kernels.squaredResidual(fF, y, r0, rows, 1, 1, fF, value, j);
                else Kernels.lossResidual(loss, fF, y, r0, rows, 1, 1, fF, value, minMargin, fi, yi, ri, j);
                Kernels.fusedResidual(zF, rows, p, fF, asF, aOff[j]);
                Kernels.fusedBackward(x, r0 * d, rows, d, zF, p, dwtF, wOff[j], r0 == 0);
            }
        }
        unpack(dwtF, grad);
    }

    /** W transposed and zero-padded into wt, s a into as (float64; buffers made on first use). */
    private void pack(double[] theta) {
        if (wt == null) {
            wt = new double[wSize];
            dwt = new double[wSize];
            as = new double[aSize];
            z = new double[zSize];
            f = new double[ROWS];
        }
        for (int j = 0; j < lay.batch; j++) {
            int m = lay.widths[j], w0 = lay.wOff[0][j], a0 = lay.aOff[j], p = mp[j];
            double s = lay.scale[0][j];
            for (int c = 0; c < m; c++) {
                for (int kk = 0; kk < d; kk++) wt[wOff[j] + kk * p + c] = theta[w0 + c * d + kk];
                as[aOff[j] + c] = s * theta[a0 + c];
            }
        }
    }

    /** {@link #pack(double[])} in float32. */
    private void pack(float[] theta) {
        if (wtF == null) {
            wtF = new float[wSize];
            dwtF = new float[wSize];
            asF = new float[aSize];
            zF = new float[zSize];
            fF = new float[ROWS];
        }
        for (int j = 0; j < lay.batch; j++) {
            int m = lay.widths[j], w0 = lay.wOff[0][j], a0 = lay.aOff[j], p = mp[j];
            float s = (float) lay.scale[0][j];
            for (int c = 0; c < m; c++) {
                for (int kk = 0; kk < d; kk++) wtF[wOff[j] + kk * p + c] = theta[w0 + c * d + kk];
                asF[aOff[j] + c] = s * theta[a0 + c];
            }
        }
    }

    /** dW^T back into grad's layout (m x d per probe). */
    private void unpack(double[] dw, double[] grad) {
        for (int j = 0; j < lay.batch; j++) {
            int m = lay.widths[j], w0 = lay.wOff[0][j], p = mp[j];
            for (int c = 0; c < m; c++) {
                for (int kk = 0; kk < d; kk++) grad[w0 + c * d + kk] = dw[wOff[j] + kk * p + c];
            }
        }
    }

    /** {@link #unpack(double[], double[])} in float32. */
    private void unpack(float[] dw, float[] grad) {
        for (int j = 0; j < lay.batch; j++) {
            int m = lay.widths[j], w0 = lay.wOff[0][j], p = mp[j];
            for (int c = 0; c < m; c++) {
                for (int kk = 0; kk < d; kk++) grad[w0 + c * d + kk] = dw[wOff[j] + kk * p + c];
            }
        }
    }
}
