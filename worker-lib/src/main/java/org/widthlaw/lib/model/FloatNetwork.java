package org.widthlaw.lib.model;

import java.util.Arrays;

/**
 * The float32 training step of a {@link Network} batch: the same layout, blocks and arithmetic as
 * {@link Network#lossAndGradient}, with parameters, data and activations in float and the products
 * in sgemm; losses are summed in double. Parameters come from the float64 network (rounded) and go
 * back to it ({@link #exportTo}) for everything outside the step: initialisation, lambda_max, the
 * diagnostics and the test set stay in float64. Allocates nothing per step.
 */
public final class FloatNetwork {
    private final Network net;
    private final float[] theta, x, y, grad;
    private final float[][] zc, hc, colScale;
    private final float[] fc, rc, gc, dc;

    public FloatNetwork(Network net) {
        this.net = net;
        this.theta = toFloat(net.theta());
        this.x = toFloat(net.data.x());
        this.y = toFloat(net.data.y());
        this.grad = new float[theta.length];
        int rows = Math.min(Network.CHUNK, net.n);
        this.zc = new float[net.layers][rows * net.total];
        this.hc = new float[net.layers][rows * net.total];
        this.colScale = new float[net.layers][];
        for (int l = 0; l < net.layers; l++) colScale[l] = toFloat(net.colScale[l]);
        this.fc = new float[rows * net.batch * net.k];
        this.rc = new float[rows * net.batch * net.k];
        this.gc = new float[rows * net.total];
        this.dc = new float[rows * net.total];
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
        int n = net.n, k = net.k, batch = net.batch;
        Arrays.fill(sumSq, 0, batch, 0.0);
        int bk = batch * k;
        for (int r0 = 0; r0 < n; r0 += Network.CHUNK) {
            int rows = Math.min(Network.CHUNK, n - r0);
            forwardRows(r0, rows);
            for (int i = 0; i < rows; i++) {
                int yRow = (r0 + i) * k;
                for (int j = 0; j < batch; j++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        int idx = i * bk + j * k + c;
                        float e = fc[idx] - y[yRow + c];
                        rc[idx] = e;
                        s += (double) e * e;
                    }
                    sumSq[j] += s;
                }
            }
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
        int[] from = net.segmentsFrom(j), to = net.segmentsTo(j);
        for (int s = 0; s < from.length; s++) {
            for (int i = from[s]; i < to[s]; i++) theta[i] -= step * grad[i];
        }
    }

    private void forwardRows(int r0, int rows) {
        int total = net.total, d = net.d, k = net.k, batch = net.batch;
        for (int l = 0; l < net.layers; l++) {
            float[] zl = zc[l], hl = hc[l];
            if (l == 0) {
                net.blas.sgemm(false, true, rows, total, d, 1f, x, r0 * d, d, theta, net.wOff[0][0], d, 0f, zl, 0, total);
            } else {
                for (int j = 0; j < batch; j++) {
                    int mj = net.widths[j];
                    net.blas.sgemm(false, true, rows, mj, mj, 1f, hc[l - 1], net.col[j], total, theta, net.wOff[l][j], mj, 0f,
                            zl, net.col[j], total);
                }
            }
            float[] s = colScale[l];
            for (int i = 0; i < rows; i++) {
                int o = i * total;
                if (net.relu) {
                    for (int c = 0; c < total; c++) hl[o + c] = s[c] * Math.max(zl[o + c], 0f);
                } else {
                    for (int c = 0; c < total; c++) hl[o + c] = s[c] * (float) net.sigma.value(zl[o + c]);
                }
            }
            if (net.skip[l] != 0) {
                float[] prev = hc[l - 1];
                for (int idx = 0; idx < rows * total; idx++) hl[idx] += prev[idx];
            }
        }
        float[] top = hc[net.layers - 1];
        for (int j = 0; j < batch; j++) {
            net.blas.sgemm(false, false, rows, k, net.widths[j], 1f, top, net.col[j], total, theta, net.aOff[j], k, 0f, fc, j * k,
                    batch * k);
        }
    }

    private void backwardRows(int r0, int rows, float beta) {
        int total = net.total, d = net.d, k = net.k, batch = net.batch, bk = batch * k;
        float[] top = hc[net.layers - 1];
        if (net.spec.trainsOutput()) {
            for (int j = 0; j < batch; j++) {
                net.blas.sgemm(true, false, net.widths[j], k, rows, 1f, top, net.col[j], total, rc, j * k, bk, beta, grad,
                        net.aOff[j], k);
            }
        }
        if (!net.spec.trainsHidden()) return;
        for (int j = 0; j < batch; j++) {
            net.blas.sgemm(false, true, rows, net.widths[j], k, 1f, rc, j * k, bk, theta, net.aOff[j], k, 0f, gc, net.col[j], total);
        }
        for (int l = net.layers - 1; l >= 0; l--) {
            float[] zl = zc[l];
            float[] s = colScale[l];
            for (int i = 0; i < rows; i++) {
                int o = i * total;
                if (net.relu) {
                    for (int c = 0; c < total; c++) dc[o + c] = zl[o + c] > 0 ? s[c] * gc[o + c] : 0f;
                } else {
                    for (int c = 0; c < total; c++) dc[o + c] = s[c] * gc[o + c] * (float) net.sigma.derivative(zl[o + c]);
                }
            }
            if (l == 0) {
                net.blas.sgemm(true, false, total, d, rows, 1f, dc, 0, total, x, r0 * d, d, beta, grad, net.wOff[0][0], d);
            } else {
                for (int j = 0; j < batch; j++) {
                    int mj = net.widths[j];
                    net.blas.sgemm(true, false, mj, mj, rows, 1f, dc, net.col[j], total, hc[l - 1], net.col[j], total, beta, grad,
                            net.wOff[l][j], mj);
                    net.blas.sgemm(false, false, rows, mj, mj, 1f, dc, net.col[j], total, theta, net.wOff[l][j], mj,
                            (float) net.skip[l], gc, net.col[j], total);
                }
            }
        }
    }
}
