package org.widthlaw.lib.model;

import java.util.Arrays;
import org.widthlaw.lib.blas.Blas;

/**
 * The float32 training step of a {@link Network} batch: the same layout, blocks and arithmetic as
 * {@link Network#lossAndGradient}, with parameters, data and activations in float and the products
 * in sgemm; losses are summed in double. Parameters come from the float64 network (rounded) and go
 * back to it ({@link #exportTo}) for everything outside the step: initialisation, lambda_max, the
 * diagnostics and the test set stay in float64. Offsets, columns, scales and trained segments
 * come from the network's own {@link Layout} instance. Allocates nothing per step. A cnn batch's
 * step is {@link FloatConvStep}, on the same float parameters and gradient.
 */
public final class FloatNetwork {
    private final Layout layout;
    private final Blas blas;
    private final Activation sigma;
    private final boolean relu;
    private final int n;
    private final float[] theta, x, y, grad;
    private final float[][] zc, hc, colScale;
    private final float[] fc, rc, gc, dc;
    private final FusedStep fused;
    /** The cnn step when the batch is a cnn one ({@link FloatConvStep}), else null. */
    private final FloatConvStep conv;
    /** For a minibatch step ({@link #minibatch}): the full step its rows are loaded from; else null. */
    private final FloatNetwork source;

    public FloatNetwork(Network net) {
        this(
                net.layout(),
                net.blas,
                net.sigma,
                net.n,
                toFloat(net.theta()),
                toFloat(net.data.x()),
                toFloat(net.data.y()),
                null);
    }

    /** A step over n rows of x and y with parameters theta (shared with {@code source} for a minibatch). */
    private FloatNetwork(
            Layout layout,
            Blas blas,
            Activation sigma,
            int n,
            float[] theta,
            float[] x,
            float[] y,
            FloatNetwork source) {
        this.layout = layout;
        this.blas = blas;
        this.sigma = sigma;
        this.relu = sigma == Activation.RELU;
        this.n = n;
        this.theta = theta;
        this.x = x;
        this.y = y;
        this.source = source;
        this.grad = new float[theta.length];
        int layers = layout.layers, total = layout.total;
        this.conv = layout.conv ? new FloatConvStep(layout, blas, sigma, n, theta, x, y, grad) : null;
        int rows = layout.conv ? 0 : Math.min(Network.CHUNK, n);
        this.zc = new float[layers][rows * total];
        this.hc = new float[layers][rows * total];
        this.colScale = new float[layers][];
        for (int l = 0; l < layers; l++) colScale[l] = toFloat(layout.colScale[l]);
        this.fc = new float[rows * layout.outputs];
        this.rc = new float[rows * layout.outputs];
        this.gc = new float[rows * total];
        this.dc = new float[rows * total];
        this.fused = FusedStep.enabled(layout, relu) ? new FusedStep(layout, n, FusedStep.PAD32) : null;
    }

    /**
     * The float32 twin of {@link Network#minibatch}: a step over {@code rows} samples {@link #load}ed
     * from this step's data, sharing its parameters; {@link #descend} there updates them here.
     */
    public FloatNetwork minibatch(int rows) {
        if (source != null) throw new IllegalStateException("a minibatch of a minibatch");
        if (rows < 1 || rows > n) throw new IllegalArgumentException("minibatch of " + rows + " of " + n + " rows");
        return new FloatNetwork(
                layout, blas, sigma, rows, theta, new float[rows * layout.d], new float[rows * layout.k], this);
    }

    /** Loads the samples order[from], order[from + 1], ... of the full data into this minibatch, in that order. */
    public void load(int[] order, int from) {
        if (source == null) throw new IllegalStateException("not a minibatch");
        int d = layout.d, k = layout.k;
        for (int i = 0; i < n; i++) {
            int row = order[from + i];
            System.arraycopy(source.x, row * d, x, i * d, d);
            System.arraycopy(source.y, row * k, y, i * k, k);
        }
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    /** Writes the float parameters back into the float64 network. */
    public void exportTo(Network target) {
        double[] t = target.theta();
        for (int i = 0; i < theta.length; i++) t[i] = theta[i];
    }

    /** sumSq[j] = ||f_j(X) - Y||^2 in float32 arithmetic (summed in double); the gradient is kept inside. */
    public void lossAndGradient(double[] sumSq) {
        if (conv != null) conv.lossAndGradient(sumSq);
        else if (fused != null) fused.step(Loss.SQUARED, theta, x, y, grad, sumSq, null);
        else lossAndGradientBlas(sumSq);
    }

    /**
     * {@link Network#lossAndGradient(Loss, double[], double[], double[])} in float32: the outputs and the
     * products in float, each sample's loss, margin and dLoss/df in double from the float outputs (dLoss/df
     * rounded to float); the gradient is kept inside.
     */
    public void lossAndGradient(Loss loss, double[] value, double[] minMargin) {
        if (loss == Loss.SQUARED) {
            lossAndGradient(value);
            return;
        }
        if (conv != null) {
            conv.lossAndGradient(loss, value, minMargin);
            return;
        }
        if (fused != null) {
            fused.step(loss, theta, x, y, grad, value, minMargin);
            return;
        }
        int k = layout.k, batch = layout.batch;
        if (fk == null) {
            fk = new double[k];
            yk = new double[k];
            rk = new double[k];
        }
        Arrays.fill(value, 0, batch, 0.0);
        Arrays.fill(minMargin, 0, batch, Double.POSITIVE_INFINITY);
        for (int r0 = 0; r0 < n; r0 += Network.CHUNK) {
            int rows = Math.min(Network.CHUNK, n - r0);
            forwardRows(r0, rows);
            Kernels.lossResidual(loss, fc, y, r0, rows, batch, k, rc, value, minMargin, fk, yk, rk, 0);
            backwardRows(r0, rows, r0 == 0 ? 0f : 1f);
        }
    }

    /** One sample's outputs, targets and dLoss/df in double, for the classification step (made on first use). */
    private double[] fk, yk, rk;

    /** {@link #lossAndGradient} by the BLAS path, whichever path the batch uses. */
    void lossAndGradientBlas(double[] sumSq) {
        int k = layout.k, batch = layout.batch, bk = layout.outputs;
        Arrays.fill(sumSq, 0, batch, 0.0);
        for (int r0 = 0; r0 < n; r0 += Network.CHUNK) {
            int rows = Math.min(Network.CHUNK, n - r0);
            forwardRows(r0, rows);
            Kernels.squaredResidual(fc, y, r0, rows, batch, k, rc, sumSq, 0);
            backwardRows(r0, rows, r0 == 0 ? 0f : 1f);
        }
    }

    /** The gradient of the last {@link #lossAndGradient} (full layout; trained ranges written). */
    public float[] gradient() {
        return grad;
    }

    /** theta_j -= lr grad_j over probe j's trained ranges. */
    public void descend(int j, double lr) {
        float step = (float) lr;
        int[] from = layout.segFrom[j], to = layout.segTo[j];
        for (int s = 0; s < from.length; s++) {
            for (int i = from[s]; i < to[s]; i++) theta[i] -= step * grad[i];
        }
    }

    private void forwardRows(int r0, int rows) {
        int total = layout.total, d = layout.d, k = layout.k, batch = layout.batch, layers = layout.layers;
        int[] widths = layout.widths, col = layout.col, aOff = layout.aOff;
        int[][] wOff = layout.wOff;
        for (int l = 0; l < layers; l++) {
            float[] zl = zc[l], hl = hc[l];
            if (l == 0) {
                // Probe by probe, as in Network: a probe's bits never depend on its batch.
                for (int j = 0; j < batch; j++) {
                    blas.sgemm(
                            false,
                            true,
                            rows,
                            widths[j],
                            d,
                            1f,
                            x,
                            r0 * d,
                            d,
                            theta,
                            wOff[0][0] + col[j] * d,
                            d,
                            0f,
                            zl,
                            col[j],
                            total);
                }
            } else {
                for (int j = 0; j < batch; j++) {
                    int mj = widths[j];
                    blas.sgemm(
                            false,
                            true,
                            rows,
                            mj,
                            mj,
                            1f,
                            hc[l - 1],
                            col[j],
                            total,
                            theta,
                            wOff[l][j],
                            mj,
                            0f,
                            zl,
                            col[j],
                            total);
                }
            }
            float[] s = colScale[l];
            for (int i = 0; i < rows; i++) {
                int o = i * total;
                if (relu) {
                    for (int c = 0; c < total; c++) hl[o + c] = s[c] * Math.max(zl[o + c], 0f);
                } else {
                    for (int c = 0; c < total; c++) hl[o + c] = s[c] * (float) sigma.value(zl[o + c]);
                }
            }
            if (layout.skip[l] != 0) {
                float[] prev = hc[l - 1];
                for (int idx = 0; idx < rows * total; idx++) hl[idx] += prev[idx];
            }
        }
        float[] top = hc[layers - 1];
        for (int j = 0; j < batch; j++) {
            blas.sgemm(
                    false,
                    false,
                    rows,
                    k,
                    widths[j],
                    1f,
                    top,
                    col[j],
                    total,
                    theta,
                    aOff[j],
                    k,
                    0f,
                    fc,
                    j * k,
                    layout.outputs);
        }
    }

    private void backwardRows(int r0, int rows, float beta) {
        int total = layout.total, d = layout.d, k = layout.k, batch = layout.batch, bk = layout.outputs;
        int[] widths = layout.widths, col = layout.col, aOff = layout.aOff;
        int[][] wOff = layout.wOff;
        float[] top = hc[layout.layers - 1];
        if (layout.trainsOutput) {
            for (int j = 0; j < batch; j++) {
                blas.sgemm(
                        true, false, widths[j], k, rows, 1f, top, col[j], total, rc, j * k, bk, beta, grad, aOff[j], k);
            }
        }
        if (!layout.trainsHidden) return;
        for (int j = 0; j < batch; j++) {
            blas.sgemm(false, true, rows, widths[j], k, 1f, rc, j * k, bk, theta, aOff[j], k, 0f, gc, col[j], total);
        }
        for (int l = layout.layers - 1; l >= 0; l--) {
            float[] zl = zc[l];
            float[] s = colScale[l];
            for (int i = 0; i < rows; i++) {
                int o = i * total;
                if (relu) {
                    for (int c = 0; c < total; c++) dc[o + c] = zl[o + c] > 0 ? s[c] * gc[o + c] : 0f;
                } else {
                    for (int c = 0; c < total; c++) dc[o + c] = s[c] * gc[o + c] * (float) sigma.derivative(zl[o + c]);
                }
            }
            if (l == 0) {
                for (int j = 0; j < batch; j++) {
                    blas.sgemm(
                            true,
                            false,
                            widths[j],
                            d,
                            rows,
                            1f,
                            dc,
                            col[j],
                            total,
                            x,
                            r0 * d,
                            d,
                            beta,
                            grad,
                            wOff[0][0] + col[j] * d,
                            d);
                }
            } else {
                for (int j = 0; j < batch; j++) {
                    int mj = widths[j];
                    blas.sgemm(
                            true,
                            false,
                            mj,
                            mj,
                            rows,
                            1f,
                            dc,
                            col[j],
                            total,
                            hc[l - 1],
                            col[j],
                            total,
                            beta,
                            grad,
                            wOff[l][j],
                            mj);
                    blas.sgemm(
                            false,
                            false,
                            rows,
                            mj,
                            mj,
                            1f,
                            dc,
                            col[j],
                            total,
                            theta,
                            wOff[l][j],
                            mj,
                            (float) layout.skip[l],
                            gc,
                            col[j],
                            total);
                }
            }
        }
    }
}
