package org.widthlaw.lib.model;

import java.util.Arrays;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.Dataset;

/**
 * The cnn family of docs/METHOD.md section 3 for a batch of B probes in float64, behind
 * {@link Network}: a sample x is one channel over p = d positions; layer l = 1..L-1 maps h_{l-1}
 * (C channels, C = 1 for l = 1, else m) to h_l[c, t] = s sigma(sum_{c', u} W_l[c, c', u] h_{l-1}[c',
 * t + u mod p]) (taps u = 0..q-1, circular padding, stride 1, m output channels), and f = sum_{c, t}
 * a[c, t] h_{L-1}[c, t], one such sum per output. With a 2-D kernel the p = side^2 positions are
 * a side x side grid (raster order), the taps (a, b) of position (r, c) read ((r + a) mod side, (c +
 * b) mod side), and q below stands for the q^2 taps ({@link Layout#tapSource}).
 *
 * <p>The scale is s = sqrt(c_sigma / (m q)) for every layer, the first included. Each entry of
 * h_{l-1} enters q pre-activations per output channel, so sum_t Var z[c, t] = q ||h_{l-1}||^2 for
 * every c; for ReLU (E relu(z)^2 = Var z / 2, c_sigma = 2) E ||h_l||^2 = s^2 sum_{c, t} Var z[c, t] /
 * 2 = s^2 m q ||h_{l-1}||^2 / c_sigma = ||h_{l-1}||^2 exactly. So the m in the scale counts the
 * layer's output channels, as the m of fc's sqrt(c_sigma / m) counts its output units, whatever
 * the fan-in: the first layer's fan-in is q (one input channel), and sqrt(c_sigma / q) there would
 * give ||h_1||^2 = m, while sqrt(c_sigma / (m q)) keeps ||h_1|| near ||x|| = 1. For softplus the
 * per-position variance is about q/p, not 1, so the norm is kept only roughly.
 *
 * <p>Activations of probe j in layer l are one array, row-major (sample, position) x channel, n p x
 * m_j; a layer is one product per probe of the rows' receptive fields (im2col, (sample, position) x
 * (tap, channel), q C columns) with W_l (m_j x q C, {@link Layout}). Every pass runs over blocks of
 * {@link #blockSamples} samples (fixed by n and p, so results do not depend on the batch); the
 * training step keeps only a block's activations and allocates nothing.
 */
final class ConvNetwork {
    /** Target (sample, position) rows of a block of the receptive-field matrix. */
    static final int BLOCK_ROWS = 4096;
    /** Largest n k x (trained parameters) Jacobian {@link #ntkGram} forms (256 MB). */
    static final long MAX_JACOBIAN = 1L << 25;

    private final Layout lay;
    private final Dataset data;
    private final Activation sigma;
    private final boolean relu;
    private final Blas blas;
    /** The network's parameter vector itself (not a copy). */
    private final double[] theta;

    /** Positions p, taps q of a filter (q^2 for a 2-D one), outputs k, hidden layers, probes. */
    private final int n, p, q, k, layers, batch;
    /** {@link Layout#tapSource}: the position each tap of each position reads. */
    private final int[] tapSource;
    /** Samples per block. */
    private final int block;

    // Block workspaces: receptive fields and their gradients, dF/dh and dF/dz, tangents.
    private final double[] cols, dcols, gs, ds, t0, t1;
    private final double[][][] zc, hc;
    private final double[] fc, rc;

    // Full-batch activations and outputs, made on first use.
    private double[][][] z, h;
    private double[] f;

    ConvNetwork(Layout lay, Dataset data, Activation sigma, double[] theta, Blas blas) {
        this.lay = lay;
        this.data = data;
        this.sigma = sigma;
        this.relu = sigma == Activation.RELU;
        this.blas = blas;
        this.theta = theta;
        this.n = data.n();
        this.p = lay.positions;
        this.q = lay.taps;
        this.tapSource = lay.tapSource;
        this.k = lay.k;
        this.layers = lay.layers;
        this.batch = lay.batch;
        this.block = blockSamples(n, p);
        int maxM = 0;
        for (int m : lay.widths) maxM = Math.max(maxM, m);
        int maxIn = layers > 1 ? maxM : 1;
        long rows = (long) block * p;
        this.cols = new double[Math.toIntExact(rows * q * maxIn)];
        this.dcols = new double[layers > 1 ? cols.length : 0];
        int act = Math.toIntExact(rows * maxM);
        this.gs = new double[act];
        this.ds = new double[act];
        this.t0 = new double[act];
        this.t1 = new double[act];
        this.zc = activations(block);
        this.hc = activations(block);
        this.fc = new double[block * lay.outputs];
        this.rc = new double[block * lay.outputs];
    }

    /** Samples per block: {@link #BLOCK_ROWS} / p, at least 1 and at most n. */
    static int blockSamples(int n, int p) {
        return Math.max(1, Math.min(n, BLOCK_ROWS / p));
    }

    private double[][][] activations(int samples) {
        double[][][] a = new double[layers][batch][];
        for (int l = 0; l < layers; l++) {
            for (int j = 0; j < batch; j++) a[l][j] = new double[Math.multiplyExact(samples * p, lay.widths[j])];
        }
        return a;
    }

    private void ensureFull() {
        if (z != null) return;
        z = activations(n);
        h = activations(n);
        f = new double[n * lay.outputs];
    }

    double[] outputs() {
        ensureFull();
        return f;
    }

    double[] preActivations(int l) {
        if (batch != 1) throw new IllegalStateException("cnn pre-activations are read for a single network");
        ensureFull();
        return z[l - 1][0];
    }

    void forward() {
        ensureFull();
        for (int r0 = 0; r0 < n; r0 += block) forwardRows(r0, Math.min(block, n - r0), z, h, r0, f, r0);
    }

    void predict(double[] out) {
        int bk = lay.outputs;
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            forwardRows(r0, rows, zc, hc, 0, fc, 0);
            System.arraycopy(fc, 0, out, r0 * bk, rows * bk);
        }
    }

    void lossAndGradient(double[] grad, double[] sumSq) {
        double[] y = data.y();
        int bk = lay.outputs;
        Arrays.fill(sumSq, 0, batch, 0.0);
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            forwardRows(r0, rows, zc, hc, 0, fc, 0);
            Kernels.squaredResidual(fc, y, r0, rows, batch, k, rc, sumSq, 0);
            backwardRows(r0, rows, zc, hc, 0, rc, 0, r0 == 0 ? 0.0 : 1.0, grad);
        }
    }

    /**
     * {@link Network#lossAndGradient(Loss, double[], double[], double[])} for a classification loss:
     * each sample's loss, margin and dLoss/df in place of f - y, the same backward pass.
     */
    void lossAndGradient(Loss loss, double[] grad, double[] value, double[] minMargin) {
        double[] y = data.y();
        Arrays.fill(value, 0, batch, 0.0);
        Arrays.fill(minMargin, 0, batch, Double.POSITIVE_INFINITY);
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            forwardRows(r0, rows, zc, hc, 0, fc, 0);
            Kernels.lossResidual(loss, fc, y, r0, rows, batch, k, rc, value, minMargin, 0);
            backwardRows(r0, rows, zc, hc, 0, rc, 0, r0 == 0 ? 0.0 : 1.0, grad);
        }
    }

    void vjp(double[] v, double[] out) {
        ensureFull();
        for (int r0 = 0; r0 < n; r0 += block) {
            backwardRows(r0, Math.min(block, n - r0), z, h, r0, v, r0, r0 == 0 ? 0.0 : 1.0, out);
        }
    }

    /**
     * The receptive fields of rows samples of a C-channel activation (sample, position) x channel
     * starting at in[off]: row (i, t) of cols holds in[i, t + u mod p, c'] at column u C + c'.
     */
    private void im2col(double[] in, int off, int rows, int ch, double[] to) {
        int qc = q * ch;
        for (int i = 0; i < rows; i++) {
            int src = off + i * p * ch;
            for (int t = 0; t < p; t++) {
                int dst = (i * p + t) * qc;
                for (int u = 0; u < q; u++) {
                    int pos = tapSource[t * q + u];
                    if (ch == 1) to[dst + u] = in[src + pos];
                    else System.arraycopy(in, src + pos * ch, to, dst + u * ch, ch);
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: g[i, t + u mod p, c'] = sum of from[(i, t), u C + c'], for rows samples. */
    private void col2im(double[] from, int rows, int ch, double[] g) {
        int qc = q * ch;
        Arrays.fill(g, 0, rows * p * ch, 0.0);
        for (int i = 0; i < rows; i++) {
            int dst = i * p * ch;
            for (int t = 0; t < p; t++) {
                int src = (i * p + t) * qc;
                for (int u = 0; u < q; u++) {
                    int pos = tapSource[t * q + u];
                    int g0 = dst + pos * ch, c0 = src + u * ch;
                    for (int c = 0; c < ch; c++) g[g0 + c] += from[c0 + c];
                }
            }
        }
    }

    /** Layer l's (0-based) input of probe j for samples from r0: x, or h_{l-1} at sample {@code at} of hs. */
    private void fields(int l, int j, int r0, int rows, double[][][] hs, int at) {
        if (l == 0) im2col(data.x(), r0 * p, rows, 1, cols);
        else im2col(hs[l - 1][j], at * p * lay.widths[j], rows, lay.widths[j], cols);
    }

    /**
     * Samples r0 .. r0+rows-1 forward; their activations go to zs, hs from sample {@code at}, their
     * outputs to out from row {@code outAt} (n x B k rows).
     */
    private void forwardRows(int r0, int rows, double[][][] zs, double[][][] hs, int at, double[] out, int outAt) {
        int bk = lay.outputs;
        for (int j = 0; j < batch; j++) {
            int m = lay.widths[j], pm = p * m, len = rows * pm, base = at * pm;
            for (int l = 0; l < layers; l++) {
                int fan = q * (l == 0 ? 1 : m);
                fields(l, j, r0, rows, hs, at);
                double[] zl = zs[l][j], hl = hs[l][j];
                blas.gemm(
                        false, true, rows * p, m, fan, 1.0, cols, 0, fan, theta, lay.wOff[l][j], fan, 0.0, zl, base, m);
                double s = lay.scale[l][j];
                if (relu) {
                    for (int i = base; i < base + len; i++) hl[i] = zl[i] > 0 ? s * zl[i] : 0.0;
                } else {
                    for (int i = base; i < base + len; i++) hl[i] = s * sigma.value(zl[i]);
                }
            }
            blas.gemm(
                    false,
                    false,
                    rows,
                    k,
                    pm,
                    1.0,
                    hs[layers - 1][j],
                    base,
                    pm,
                    theta,
                    lay.aOff[j],
                    k,
                    0.0,
                    out,
                    outAt * bk + j * k,
                    bk);
        }
    }

    /**
     * J^T v for samples r0 .. r0+rows-1 (their activations in zs, hs from sample {@code at}; v from
     * row {@code vAt}, n x B k rows), written into out's trained ranges with out = beta out + ....
     */
    private void backwardRows(
            int r0,
            int rows,
            double[][][] zs,
            double[][][] hs,
            int at,
            double[] v,
            int vAt,
            double beta,
            double[] out) {
        int bk = lay.outputs;
        for (int j = 0; j < batch; j++) {
            int m = lay.widths[j], pm = p * m, len = rows * pm, base = at * pm;
            if (lay.trainsOutput) {
                blas.gemm(
                        true,
                        false,
                        pm,
                        k,
                        rows,
                        1.0,
                        hs[layers - 1][j],
                        base,
                        pm,
                        v,
                        vAt * bk + j * k,
                        bk,
                        beta,
                        out,
                        lay.aOff[j],
                        k);
            }
            if (!lay.trainsHidden) continue;
            // dF/dh_{L-1} = v a^T
            blas.gemm(false, true, rows, pm, k, 1.0, v, vAt * bk + j * k, bk, theta, lay.aOff[j], k, 0.0, gs, 0, pm);
            for (int l = layers - 1; l >= 0; l--) {
                double[] zl = zs[l][j];
                double s = lay.scale[l][j];
                for (int i = 0; i < len; i++) ds[i] = s * gs[i] * sigma.derivative(zl[base + i]);
                int ch = l == 0 ? 1 : m, fan = q * ch;
                fields(l, j, r0, rows, hs, at);
                blas.gemm(true, false, m, fan, rows * p, 1.0, ds, 0, m, cols, 0, fan, beta, out, lay.wOff[l][j], fan);
                if (l > 0) {
                    blas.gemm(
                            false,
                            false,
                            rows * p,
                            fan,
                            m,
                            1.0,
                            ds,
                            0,
                            m,
                            theta,
                            lay.wOff[l][j],
                            fan,
                            0.0,
                            dcols,
                            0,
                            fan);
                    col2im(dcols, rows, ch, gs);
                }
            }
        }
    }

    /** J u for the full batch (entries of u outside the trained ranges are ignored) into out, n x B k. */
    void jvp(double[] u, double[] out) {
        ensureFull();
        int bk = lay.outputs;
        for (int r0 = 0; r0 < n; r0 += block) {
            int rows = Math.min(block, n - r0);
            for (int j = 0; j < batch; j++) {
                int m = lay.widths[j], pm = p * m, len = rows * pm, base = r0 * pm;
                int o = r0 * bk + j * k;
                double beta = 0.0;
                if (lay.trainsHidden) {
                    double[] tPrev = t0, tCur = t1;
                    for (int l = 0; l < layers; l++) {
                        int ch = l == 0 ? 1 : m, fan = q * ch, w = lay.wOff[l][j];
                        // dz = fields(h_{l-1}) dW^T + fields(t_{l-1}) W^T
                        fields(l, j, r0, rows, h, r0);
                        blas.gemm(false, true, rows * p, m, fan, 1.0, cols, 0, fan, u, w, fan, 0.0, ds, 0, m);
                        if (l > 0) {
                            im2col(tPrev, 0, rows, m, cols);
                            blas.gemm(false, true, rows * p, m, fan, 1.0, cols, 0, fan, theta, w, fan, 1.0, ds, 0, m);
                        }
                        double[] zl = z[l][j];
                        double s = lay.scale[l][j];
                        for (int i = 0; i < len; i++) tCur[i] = s * sigma.derivative(zl[base + i]) * ds[i];
                        double[] sw = tPrev;
                        tPrev = tCur;
                        tCur = sw;
                    }
                    blas.gemm(false, false, rows, k, pm, 1.0, tPrev, 0, pm, theta, lay.aOff[j], k, 0.0, out, o, bk);
                    beta = 1.0;
                }
                if (lay.trainsOutput) {
                    blas.gemm(
                            false,
                            false,
                            rows,
                            k,
                            pm,
                            1.0,
                            h[layers - 1][j],
                            base,
                            pm,
                            u,
                            lay.aOff[j],
                            k,
                            beta,
                            out,
                            o,
                            bk);
                } else if (!lay.trainsHidden) {
                    for (int i = 0; i < rows; i++) Arrays.fill(out, o + i * bk, o + i * bk + k, 0.0);
                }
            }
        }
    }

    /**
     * The empirical NTK Gram H = J J^T of a single network at its current parameters (after
     * {@link #forward()}), (n k) x (n k), index i k + c, from the explicit Jacobian over the trained
     * parameters: row i k + c is the gradient of f_c(x_i), one backward pass of sample i.
     */
    double[] ntkGram() {
        ensureFull();
        int[] from = lay.segFrom[0], to = lay.segTo[0];
        int trained = 0;
        for (int s = 0; s < from.length; s++) trained += to[s] - from[s];
        int nk = n * k;
        if ((long) nk * trained > MAX_JACOBIAN) {
            throw new IllegalStateException("the cnn NTK Gram needs a " + nk + " x " + trained + " Jacobian, more than "
                    + MAX_JACOBIAN + " entries");
        }
        double[] jac = new double[nk * trained];
        double[] v = new double[k];
        double[] row = new double[lay.size];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                Arrays.fill(v, 0.0);
                v[c] = 1.0;
                backwardRows(i, 1, z, h, i, v, 0, 0.0, row);
                int o = (i * k + c) * trained;
                for (int s = 0; s < from.length; s++) {
                    System.arraycopy(row, from[s], jac, o, to[s] - from[s]);
                    o += to[s] - from[s];
                }
            }
        }
        double[] gram = new double[nk * nk];
        blas.gemm(false, true, nk, nk, trained, 1.0, jac, 0, trained, jac, 0, trained, 0.0, gram, 0, nk);
        return gram;
    }
}
