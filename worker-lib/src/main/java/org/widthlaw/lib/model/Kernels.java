package org.widthlaw.lib.model;

import java.util.Arrays;

/**
 * The ReLU loops of the training step, on row-major rows x total blocks with a per-column scale:
 * h = s * max(z, 0) and delta = (z > 0 ? s * g : 0). ReLU signs are random, so a branch per
 * element mispredicts half the time; these run branch-free, with SIMD lanes through the JDK's
 * Vector API when the jdk.incubator.vector module is present (Spark's launch flags add it), and
 * in scalar Java otherwise. Both give the same bits: each element is one multiply.
 */
final class Kernels {
    static final boolean VECTOR =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Kernels() {}

    static void reluForward(double[] h, double[] z, double[] s, int rows, int total) {
        if (VECTOR) {
            VectorKernels.reluForward(h, z, s, rows, total);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int o = i * total;
            for (int c = 0; c < total; c++) h[o + c] = s[c] * Math.max(z[o + c], 0.0);
        }
    }

    static void reluBackward(double[] ds, double[] g, double[] z, double[] s, int rows, int total) {
        if (VECTOR) {
            VectorKernels.reluBackward(ds, g, z, s, rows, total);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int o = i * total;
            // max(z, 0) scaled twice by 1e308 is +infinity for every positive double and 0 otherwise.
            for (int c = 0; c < total; c++)
                ds[o + c] = s[c] * g[o + c] * Math.min(1.0, Math.max(z[o + c], 0.0) * 1e308 * 1e308);
        }
    }

    // The fused step of FusedStep: dispatch, and the scalar arithmetic the vector kernels reproduce bit for bit.

    static void fusedForward(
            double[] x,
            int x0,
            int rows,
            int d,
            double[] wt,
            int w0,
            int mp,
            double[] as,
            int a0,
            double[] z,
            double[] f) {
        if (VECTOR) VectorKernels.fusedForward(x, x0, rows, d, wt, w0, mp, as, a0, z, f);
        else fusedForwardScalar(x, x0, rows, d, wt, w0, mp, as, a0, z, f);
    }

    static void fusedResidual(double[] z, int rows, int mp, double[] r, double[] as, int a0) {
        if (VECTOR) VectorKernels.fusedResidual(z, rows, mp, r, as, a0);
        else fusedResidualScalar(z, rows, mp, r, as, a0);
    }

    static void fusedBackward(
            double[] x, int x0, int rows, int d, double[] g, int mp, double[] dwt, int w0, boolean first) {
        if (VECTOR) VectorKernels.fusedBackward(x, x0, rows, d, g, mp, dwt, w0, first);
        else fusedBackwardScalar(x, x0, rows, d, g, mp, dwt, w0, first);
    }

    /**
     * z = X W^T over the padded columns, each entry one fma chain over k from 0; f_i sums
     * (s a_c) max(z_ic, 0) in 4 lane chains (column c into lane c mod 4, in column order) and
     * adds the lanes in a fixed tree.
     */
    static void fusedForwardScalar(
            double[] x,
            int x0,
            int rows,
            int d,
            double[] wt,
            int w0,
            int mp,
            double[] as,
            int a0,
            double[] z,
            double[] f) {
        double[] lane = new double[4];
        for (int i = 0; i < rows; i++) {
            int xo = x0 + i * d, zo = i * mp;
            Arrays.fill(lane, 0.0);
            for (int c = 0; c < mp; c++) {
                double acc = 0.0;
                for (int kk = 0; kk < d; kk++) acc = Math.fma(x[xo + kk], wt[w0 + kk * mp + c], acc);
                z[zo + c] = acc;
                lane[c % 4] = Math.fma(Math.max(acc, 0.0), as[a0 + c], lane[c % 4]);
            }
            f[i] = (lane[0] + lane[1]) + (lane[2] + lane[3]);
        }
    }

    /** g = r_i (s a_c) where z > 0, else 0, in place of z. */
    static void fusedResidualScalar(double[] z, int rows, int mp, double[] r, double[] as, int a0) {
        for (int i = 0; i < rows; i++) {
            for (int c = 0, o = i * mp; c < mp; c++, o++) z[o] = z[o] > 0 ? r[i] * as[a0 + c] : 0.0;
        }
    }

    /** dW^T[k][c] (= or +=) one fma chain over the block's rows from 0. */
    static void fusedBackwardScalar(
            double[] x, int x0, int rows, int d, double[] g, int mp, double[] dwt, int w0, boolean first) {
        for (int kk = 0; kk < d; kk++) {
            for (int c = 0; c < mp; c++) {
                double acc = 0.0;
                for (int i = 0; i < rows; i++) acc = Math.fma(x[x0 + i * d + kk], g[i * mp + c], acc);
                int o = w0 + kk * mp + c;
                dwt[o] = first ? acc : dwt[o] + acc;
            }
        }
    }

    // The same in float32, eight lanes.

    static void fusedForward(
            float[] x, int x0, int rows, int d, float[] wt, int w0, int mp, float[] as, int a0, float[] z, float[] f) {
        if (VECTOR) VectorKernels.fusedForward(x, x0, rows, d, wt, w0, mp, as, a0, z, f);
        else fusedForwardScalar(x, x0, rows, d, wt, w0, mp, as, a0, z, f);
    }

    static void fusedResidual(float[] z, int rows, int mp, float[] r, float[] as, int a0) {
        if (VECTOR) VectorKernels.fusedResidual(z, rows, mp, r, as, a0);
        else fusedResidualScalar(z, rows, mp, r, as, a0);
    }

    static void fusedBackward(
            float[] x, int x0, int rows, int d, float[] g, int mp, float[] dwt, int w0, boolean first) {
        if (VECTOR) VectorKernels.fusedBackward(x, x0, rows, d, g, mp, dwt, w0, first);
        else fusedBackwardScalar(x, x0, rows, d, g, mp, dwt, w0, first);
    }

    /**
     * z = X W^T over the padded columns, each entry one fma chain over k from 0; f_i sums
     * (s a_c) max(z_ic, 0) in 8 lane chains (column c into lane c mod 8, in column order) and
     * adds the lanes in a fixed tree.
     */
    static void fusedForwardScalar(
            float[] x, int x0, int rows, int d, float[] wt, int w0, int mp, float[] as, int a0, float[] z, float[] f) {
        float[] lane = new float[8];
        for (int i = 0; i < rows; i++) {
            int xo = x0 + i * d, zo = i * mp;
            Arrays.fill(lane, 0f);
            for (int c = 0; c < mp; c++) {
                float acc = 0f;
                for (int kk = 0; kk < d; kk++) acc = Math.fma(x[xo + kk], wt[w0 + kk * mp + c], acc);
                z[zo + c] = acc;
                lane[c % 8] = Math.fma(Math.max(acc, 0f), as[a0 + c], lane[c % 8]);
            }
            f[i] = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
        }
    }

    /** g = r_i (s a_c) where z > 0, else 0, in place of z. */
    static void fusedResidualScalar(float[] z, int rows, int mp, float[] r, float[] as, int a0) {
        for (int i = 0; i < rows; i++) {
            for (int c = 0, o = i * mp; c < mp; c++, o++) z[o] = z[o] > 0 ? r[i] * as[a0 + c] : 0f;
        }
    }

    /** dW^T[k][c] (= or +=) one fma chain over the block's rows from 0. */
    static void fusedBackwardScalar(
            float[] x, int x0, int rows, int d, float[] g, int mp, float[] dwt, int w0, boolean first) {
        for (int kk = 0; kk < d; kk++) {
            for (int c = 0; c < mp; c++) {
                float acc = 0f;
                for (int i = 0; i < rows; i++) acc = Math.fma(x[x0 + i * d + kk], g[i * mp + c], acc);
                int o = w0 + kk * mp + c;
                dwt[o] = first ? acc : dwt[o] + acc;
            }
        }
    }

    /**
     * The squared loss's residual over a block of rows of outputs f (rows x B k, probe j in columns
     * [j k, (j+1) k)): r = f - y (r may be f itself), and sumSq[slot + j] += ||f_j - y||^2 row by row
     * (each row's sum first). A caller that works probe by probe passes its block with B = 1 and the
     * probe as {@code slot}.
     */
    static void squaredResidual(
            double[] f, double[] y, int r0, int rows, int batch, int k, double[] r, double[] sumSq, int slot) {
        int bk = batch * k;
        for (int i = 0; i < rows; i++) {
            int yRow = (r0 + i) * k;
            for (int j = 0; j < batch; j++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    int idx = i * bk + j * k + c;
                    double e = f[idx] - y[yRow + c];
                    r[idx] = e;
                    s += e * e;
                }
                sumSq[slot + j] += s;
            }
        }
    }

    /** {@link #squaredResidual(double[], double[], int, int, int, int, double[], double[], int)} in float, summed in double. */
    static void squaredResidual(
            float[] f, float[] y, int r0, int rows, int batch, int k, float[] r, double[] sumSq, int slot) {
        int bk = batch * k;
        for (int i = 0; i < rows; i++) {
            int yRow = (r0 + i) * k;
            for (int j = 0; j < batch; j++) {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    int idx = i * bk + j * k + c;
                    float e = f[idx] - y[yRow + c];
                    r[idx] = e;
                    s += (double) e * e;
                }
                sumSq[slot + j] += s;
            }
        }
    }

    /**
     * The residual of a classification loss over a block of rows of f (rows x batch k) against targets
     * y from row r0: per row and probe j, minMargin[slot + j] = min(minMargin[slot + j], its margin),
     * value[slot + j] += the sample's loss, and dLoss/df into r at f's index ({@link Loss#margin},
     * {@link Loss#sample}; the margin first, so r may be f itself).
     */
    static void lossResidual(
            Loss loss,
            double[] f,
            double[] y,
            int r0,
            int rows,
            int batch,
            int k,
            double[] r,
            double[] value,
            double[] minMargin,
            int slot) {
        int bk = batch * k;
        for (int i = 0; i < rows; i++) {
            int yRow = (r0 + i) * k;
            for (int j = 0; j < batch; j++) {
                int idx = i * bk + j * k;
                minMargin[slot + j] = Math.min(minMargin[slot + j], Loss.margin(f, idx, y, yRow, k));
                value[slot + j] += loss.sample(f, idx, y, yRow, k, r, idx);
            }
        }
    }

    /**
     * {@link #lossResidual(Loss, double[], double[], int, int, int, int, double[], double[], double[], int)}
     * from float outputs: each sample's loss, margin and dLoss/df in double (through the scratch rows fk,
     * yk, rk of k entries), dLoss/df rounded to float into r.
     */
    static void lossResidual(
            Loss loss,
            float[] f,
            float[] y,
            int r0,
            int rows,
            int batch,
            int k,
            float[] r,
            double[] value,
            double[] minMargin,
            double[] fk,
            double[] yk,
            double[] rk,
            int slot) {
        int bk = batch * k;
        for (int i = 0; i < rows; i++) {
            int yRow = (r0 + i) * k;
            for (int c = 0; c < k; c++) yk[c] = y[yRow + c];
            for (int j = 0; j < batch; j++) {
                int idx = i * bk + j * k;
                for (int c = 0; c < k; c++) fk[c] = f[idx + c];
                minMargin[slot + j] = Math.min(minMargin[slot + j], Loss.margin(fk, 0, yk, 0, k));
                value[slot + j] += loss.sample(fk, 0, yk, 0, k, rk, 0);
                for (int c = 0; c < k; c++) r[idx + c] = (float) rk[c];
            }
        }
    }
}
