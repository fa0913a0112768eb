package org.widthlaw.lib.model;

import java.util.Arrays;
import org.widthlaw.lib.blas.Blas;

/**
 * The float32 training step of a cnn batch, behind {@link FloatNetwork}: the blocks, receptive
 * fields and products of {@link ConvNetwork#lossAndGradient} with parameters, data and activations
 * in float and the products in sgemm; losses are summed in double. It reads and writes the float
 * parameter and gradient vectors of its {@link FloatNetwork}. Allocates nothing per step.
 */
final class FloatConvStep {
    private final Layout lay;
    private final Blas blas;
    private final Activation sigma;
    private final boolean relu;
    private final float[] theta, x, y, grad;
    private final int n, p, q, k, layers, batch, block;
    private final int[] tapSource;
    private final float[] cols, dcols, gs, ds, fc, rc;
    private final float[][][] zc, hc;
    private final float[][] scale;
    /** One sample's outputs, targets and dLoss/df in double, for a classification loss. */
    private final double[] fk, yk, rk;

    FloatConvStep(Layout lay, Blas blas, Activation sigma, int n, float[] theta, float[] x, float[] y, float[] grad) {
        this.lay = lay;
        this.blas = blas;
        this.sigma = sigma;
        this.relu = sigma == Activation.RELU;
        this.theta = theta;
        this.x = x;
        this.y = y;
        this.grad = grad;
        this.n = n;
        this.p = lay.positions;
        this.q = lay.taps;
        this.tapSource = lay.tapSource;
        this.k = lay.k;
        this.layers = lay.layers;
        this.batch = lay.batch;
        this.block = ConvNetwork.blockSamples(n, p);
        int maxM = 0;
        for (int m : lay.widths) maxM = Math.max(maxM, m);
        long rows = (long) block * p;
        this.cols = new float[Math.toIntExact(rows * q * (layers > 1 ? maxM : 1))];
        this.dcols = new float[layers > 1 ? cols.length : 0];
        this.gs = new float[Math.toIntExact(rows * maxM)];
        this.ds = new float[gs.length];
        this.fc = new float[block * lay.outputs];
        this.rc = new float[block * lay.outputs];
        this.zc = new float[layers][batch][];
        this.hc = new float[layers][batch][];
        this.scale = new float[layers][batch];
        this.fk = new double[k];
        this.yk = new double[k];
        this.rk = new double[k];
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < batch; j++) {
                zc[l][j] = new float[Math.toIntExact(rows * lay.widths[j])];
                hc[l][j] = new float[zc[l][j].length];
                scale[l][j] = (float) lay.scale[l][j];
            }
        }
    }

    void lossAndGradient(double[] sumSq) {
        int bk = lay.outputs;
        Arrays.fill(sumSq, 0, batch, 0.0);
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            forwardRows(r0, rows);
            Kernels.squaredResidual(fc, y, r0, rows, batch, k, rc, sumSq, 0);
            backwardRows(r0, rows, r0 == 0 ? 0f : 1f);
        }
    }

    /**
     * A classification loss: each sample's loss, margin and dLoss/df in double from the float outputs
     * (dLoss/df rounded to float), as {@link FloatNetwork} does for the other families.
     */
    void lossAndGradient(Loss loss, double[] value, double[] minMargin) {
        Arrays.fill(value, 0, batch, 0.0);
        Arrays.fill(minMargin, 0, batch, Double.POSITIVE_INFINITY);
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            forwardRows(r0, rows);
            Kernels.lossResidual(loss, fc, y, r0, rows, batch, k, rc, value, minMargin, fk, yk, rk, 0);
            backwardRows(r0, rows, r0 == 0 ? 0f : 1f);
        }
    }

    /** As {@link ConvNetwork}'s receptive fields, in float. */
    private void im2col(float[] in, int off, int rows, int ch) {
        int qc = q * ch;
        for (int i = 0; i < rows; i++) {
            int src = off + i * p * ch;
            for (int t = 0; t < p; t++) {
                int dst = (i * p + t) * qc;
                for (int u = 0; u < q; u++) {
                    int pos = tapSource[t * q + u];
                    if (ch == 1) cols[dst + u] = in[src + pos];
                    else System.arraycopy(in, src + pos * ch, cols, dst + u * ch, ch);
                }
            }
        }
    }

    private void col2im(int rows, int ch) {
        int qc = q * ch;
        Arrays.fill(gs, 0, rows * p * ch, 0f);
        for (int i = 0; i < rows; i++) {
            int dst = i * p * ch;
            for (int t = 0; t < p; t++) {
                int src = (i * p + t) * qc;
                for (int u = 0; u < q; u++) {
                    int pos = tapSource[t * q + u];
                    int g0 = dst + pos * ch, c0 = src + u * ch;
                    for (int c = 0; c < ch; c++) gs[g0 + c] += dcols[c0 + c];
                }
            }
        }
    }

    private void fields(int l, int j, int r0, int rows) {
        if (l == 0) im2col(x, r0 * p, rows, 1);
        else im2col(hc[l - 1][j], 0, rows, lay.widths[j]);
    }

    private void forwardRows(int r0, int rows) {
        int bk = lay.outputs;
        for (int j = 0; j < batch; j++) {
            int m = lay.widths[j], pm = p * m, len = rows * pm;
            for (int l = 0; l < layers; l++) {
                int fan = q * (l == 0 ? 1 : m);
                fields(l, j, r0, rows);
                float[] zl = zc[l][j], hl = hc[l][j];
                blas.sgemm(false, true, rows * p, m, fan, 1f, cols, 0, fan, theta, lay.wOff[l][j], fan, 0f, zl, 0, m);
                float s = scale[l][j];
                if (relu) {
                    for (int i = 0; i < len; i++) hl[i] = zl[i] > 0 ? s * zl[i] : 0f;
                } else {
                    for (int i = 0; i < len; i++) hl[i] = s * (float) sigma.value(zl[i]);
                }
            }
            blas.sgemm(
                    false, false, rows, k, pm, 1f, hc[layers - 1][j], 0, pm, theta, lay.aOff[j], k, 0f, fc, j * k, bk);
        }
    }

    private void backwardRows(int r0, int rows, float beta) {
        int bk = lay.outputs;
        for (int j = 0; j < batch; j++) {
            int m = lay.widths[j], pm = p * m, len = rows * pm;
            if (lay.trainsOutput) {
                blas.sgemm(
                        true,
                        false,
                        pm,
                        k,
                        rows,
                        1f,
                        hc[layers - 1][j],
                        0,
                        pm,
                        rc,
                        j * k,
                        bk,
                        beta,
                        grad,
                        lay.aOff[j],
                        k);
            }
            if (!lay.trainsHidden) continue;
            blas.sgemm(false, true, rows, pm, k, 1f, rc, j * k, bk, theta, lay.aOff[j], k, 0f, gs, 0, pm);
            for (int l = layers - 1; l >= 0; l--) {
                float[] zl = zc[l][j];
                float s = scale[l][j];
                for (int i = 0; i < len; i++) ds[i] = s * gs[i] * (float) sigma.derivative(zl[i]);
                int ch = l == 0 ? 1 : m, fan = q * ch;
                fields(l, j, r0, rows);
                blas.sgemm(true, false, m, fan, rows * p, 1f, ds, 0, m, cols, 0, fan, beta, grad, lay.wOff[l][j], fan);
                if (l > 0) {
                    blas.sgemm(
                            false,
                            false,
                            rows * p,
                            fan,
                            m,
                            1f,
                            ds,
                            0,
                            m,
                            theta,
                            lay.wOff[l][j],
                            fan,
                            0f,
                            dcols,
                            0,
                            fan);
                    col2im(rows, ch);
                }
            }
        }
    }
}
