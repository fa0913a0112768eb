package org.widthlaw.lib.model;

import java.util.Arrays;
import org.widthlaw.lib.Gaussian;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.Dataset;

/**
 * A batch of B networks of one family (docs/METHOD.md section 3) on one data set, in float64: B = 1
 * is a single probe; B > 1 trains several widths of one cell in one pass that shares the data and
 * concatenates their first layers into one matrix product.
 *
 * <p>Layers l = 1..L-1 map h_{l-1} to h_l = skip_l h_{l-1} + s_l sigma(W_l h_{l-1}), with
 * (skip, s) = (0, sqrt(c_sigma/m)) for fc layers and the first resnet layer, and
 * (1, c_res/(L sqrt m)) for later resnet layers; f = a . h_{L-1}. Two-layer is fc with L = 2 and
 * c_sigma = 1.
 *
 * <p>Activations are row-major n x M with M = sum of the widths; probe j owns columns
 * [col_j, col_j + m_j). All parameters live in one vector: the first layers of all probes (one
 * M x d matrix), then each later layer probe by probe, then the output weights probe by probe
 * ({@link Layout}, built once here and shared with {@link FloatNetwork}). The training step
 * ({@link #lossAndGradient}) runs over blocks of {@link #CHUNK} rows, forward and backward fused,
 * so its working set stays in cache and it allocates nothing.
 *
 * <p>A cnn batch has its own activations and products ({@link ConvNetwork}); this class keeps its
 * parameters and layout and hands every operation to it.
 */
public final class Network {
    /** Rows per block of the fused training step; fixed, so results do not depend on the batch. */
    public static final int CHUNK = 128;

    final Blas blas;
    final Dataset data;
    final ModelSpec spec;
    final Activation sigma;
    final boolean relu;
    /** Samples, inputs and outputs of the data. */
    final int n, d, k;
    /** Widths, offsets, columns, scales and trained segments; shared with {@link FloatNetwork}. */
    private final Layout layout;
    /** {@code layout.widths} itself (not a copy), for brevity. */
    private final int[] widths;

    private final double[] theta;
    // Fused-step workspaces (CHUNK rows); full-batch ones are made on first use.
    private final double[][] zc, hc;
    private final double[] fc, rc, gc, dc;
    private boolean productsOnly;
    /** The fused step when this batch is the hot case ({@link FusedStep#applies}), else null. */
    private final FusedStep fused;

    private double[][] z, h;
    private double[] f, g, delta, t0, t1;
    /** The convolutional batch every operation is handed to when the family is cnn, else null. */
    private final ConvNetwork conv;
    /** For a minibatch batch ({@link #minibatch}): the full data its rows are loaded from; else null. */
    private final Dataset source;

    public Network(ModelSpec spec, Dataset data, int width, Blas blas) {
        this(spec, data, new int[] {width}, blas);
    }

    public Network(ModelSpec spec, Dataset data, int[] widths, Blas blas) {
        this(spec, data, widths, blas, null, null);
    }

    /**
     * The batch over {@code data}; its parameters are {@code shared} (another batch's of the same
     * layout, which it then trains too) or new ones when null. {@code source}: see {@link #minibatch}.
     */
    private Network(ModelSpec spec, Dataset data, int[] widths, Blas blas, double[] shared, Dataset source) {
        this.source = source;
        this.blas = blas;
        this.data = data;
        this.spec = spec;
        this.sigma = spec.activation();
        this.relu = sigma == Activation.RELU;
        this.n = data.n();
        this.d = data.d();
        this.k = data.k();
        this.layout = new Layout(spec, d, k, widths);
        this.widths = layout.widths;
        int layers = layout.layers, total = layout.total;
        this.theta = shared != null ? shared : new double[layout.size];
        this.conv = layout.conv ? new ConvNetwork(layout, data, spec.activation(), theta, blas) : null;
        int rows = layout.conv ? 0 : Math.min(CHUNK, n);
        this.zc = new double[layers][rows * total];
        this.hc = new double[layers][rows * total];
        this.fc = new double[rows * layout.outputs];
        this.rc = new double[rows * layout.outputs];
        this.gc = new double[rows * total];
        this.dc = new double[rows * total];
        this.fused = FusedStep.enabled(layout, relu) ? new FusedStep(layout, n, FusedStep.PAD64) : null;
    }

    /**
     * A batch of the same probes over {@code rows} samples that shares this batch's parameters: a step
     * of it ({@link #lossAndGradient}) on the rows {@link #load}ed into it is an SGD minibatch step,
     * and an update of {@link #theta()} is one of this batch. Its data set is its own buffer.
     */
    public Network minibatch(int rows) {
        if (source != null) throw new IllegalStateException("a minibatch of a minibatch");
        if (rows < 1 || rows > n) throw new IllegalArgumentException("minibatch of " + rows + " of " + n + " rows");
        Dataset buffer = new Dataset(rows, d, k, new double[rows * d], new double[rows * k]);
        return new Network(spec, buffer, widths, blas, theta, data);
    }

    /** Loads the samples order[from], order[from + 1], ... of the full data into this minibatch, in that order. */
    public void load(int[] order, int from) {
        if (source == null) throw new IllegalStateException("not a minibatch");
        double[] x = data.x(), y = data.y(), sx = source.x(), sy = source.y();
        for (int i = 0; i < n; i++) {
            int row = order[from + i];
            System.arraycopy(sx, row * d, x, i * d, d);
            System.arraycopy(sy, row * k, y, i * k, k);
        }
    }

    /**
     * For benchmarks: when set, the training step issues only its matrix products (the same calls,
     * same shapes) and skips every elementwise loop, to measure what the BLAS alone achieves.
     */
    public void matrixProductsOnly(boolean on) {
        this.productsOnly = on;
    }

    /** Draws probe j's W entries from N(0,1) and its a entries uniformly from {-1, +1}, from one seed. */
    public void initialise(int j, long seed) {
        Layout lay = layout;
        Gaussian rng = new Gaussian(seed);
        for (int l = 0; l < lay.layers; l++) {
            int len = lay.weights(l, j);
            for (int i = 0; i < len; i++) theta[lay.wOff[l][j] + i] = rng.next();
        }
        for (int i = 0; i < lay.outWeights(j); i++) theta[lay.aOff[j] + i] = rng.nextSign();
    }

    /** Single-probe shorthand for {@link #initialise(int, long)}. */
    public void initialise(long seed) {
        initialise(0, seed);
    }

    /** Copies probe {@code from}'s parameters of {@code other} into probe {@code j} here (same width). */
    public void copyProbe(int j, Network other, int from) {
        Layout lay = layout, src = other.layout;
        if (src.widths[from] != lay.widths[j]
                || other.spec.depth() != spec.depth()
                || src.conv != lay.conv
                || src.kernel != lay.kernel
                || src.taps != lay.taps
                || src.positions != lay.positions) {
            throw new IllegalArgumentException("probes differ in shape");
        }
        for (int l = 0; l < lay.layers; l++) {
            System.arraycopy(other.theta, src.wOff[l][from], theta, lay.wOff[l][j], lay.weights(l, j));
        }
        System.arraycopy(other.theta, src.aOff[from], theta, lay.aOff[j], lay.outWeights(j));
    }

    public double[] theta() {
        return theta;
    }

    public int size() {
        return layout.size;
    }

    /** Probes in this batch. */
    public int probes() {
        return layout.batch;
    }

    public int width(int j) {
        return layout.widths[j];
    }

    public int width() {
        return layout.widths[0];
    }

    /**
     * Probe j's trained parameter ranges in {@link #theta()}: [from[s], to[s]). The arrays are the
     * layout's own (no copy, so the GD loop allocates nothing): read them, never write them.
     */
    public int[] segmentsFrom(int j) {
        return layout.segFrom[j];
    }

    /** See {@link #segmentsFrom}. */
    public int[] segmentsTo(int j) {
        return layout.segTo[j];
    }

    public Dataset data() {
        return data;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** The parameter and activation layout of this batch, for {@link FloatNetwork}. */
    Layout layout() {
        return layout;
    }

    /** Outputs f(X) of the last {@link #forward()}: n x (B k), probe j in columns [j k, (j+1) k). */
    public double[] outputs() {
        if (conv != null) return conv.outputs();
        ensureFull();
        return f;
    }

    /**
     * Pre-activations of layer l (1-based) of the last forward pass, n x M (cnn: of a single network,
     * n x d x m, sample, position, channel).
     */
    public double[] preActivations(int l) {
        if (conv != null) return conv.preActivations(l);
        ensureFull();
        return z[l - 1];
    }

    public int hiddenLayers() {
        return layout.layers;
    }

    private void ensureFull() {
        if (z != null) return;
        int total = layout.total;
        z = new double[layout.layers][n * total];
        h = new double[layout.layers][n * total];
        f = new double[n * layout.outputs];
        g = new double[n * total];
        delta = new double[n * total];
        t0 = new double[n * total];
        t1 = new double[n * total];
    }

    /** Computes f(X) for the current parameters into {@link #outputs()}, keeping every activation. */
    public void forward() {
        if (conv != null) {
            conv.forward();
            return;
        }
        ensureFull();
        forwardRows(0, n, z, h, f);
    }

    /**
     * One pass of the training step: for every probe j, sumSq[j] = ||f_j(X) - Y||^2 at the current
     * parameters, and the gradient of 0.5 ||f_j(X) - Y||^2 written into grad (full layout; only
     * trained ranges are written). Allocates nothing.
     */
    public void lossAndGradient(double[] grad, double[] sumSq) {
        if (conv != null) conv.lossAndGradient(grad, sumSq);
        else if (fused != null && !productsOnly) fused.step(Loss.SQUARED, theta, data.x(), data.y(), grad, sumSq, null);
        else lossAndGradientBlas(grad, sumSq);
    }

    /**
     * The training step for any {@link Loss}: value[j] = probe j's loss in the units of {@link
     * Loss#sample} (for squared exactly {@link #lossAndGradient(double[], double[])}), its gradient into
     * grad, and, for a classification loss, minMargin[j] = the smallest margin over the samples ({@link
     * Loss#margin}; left alone for squared). The same backward pass, with dLoss/df in place of f - y.
     */
    public void lossAndGradient(Loss loss, double[] grad, double[] value, double[] minMargin) {
        if (loss == Loss.SQUARED) {
            lossAndGradient(grad, value);
            return;
        }
        if (conv != null) {
            conv.lossAndGradient(loss, grad, value, minMargin);
            return;
        }
        if (fused != null && !productsOnly) {
            fused.step(loss, theta, data.x(), data.y(), grad, value, minMargin);
            return;
        }
        double[] y = data.y();
        int batch = layout.batch;
        Arrays.fill(value, 0, batch, 0.0);
        Arrays.fill(minMargin, 0, batch, Double.POSITIVE_INFINITY);
        for (int r0 = 0; r0 < n; r0 += CHUNK) {
            int rows = Math.min(CHUNK, n - r0);
            forwardRows(r0, rows, zc, hc, fc);
            Kernels.lossResidual(loss, fc, y, r0, rows, batch, k, rc, value, minMargin, 0);
            backwardRows(r0, rows, zc, hc, rc, r0 == 0 ? 0.0 : 1.0, grad, gc, dc);
        }
    }

    /** {@link #lossAndGradient} by the BLAS path, whichever path the batch uses. */
    void lossAndGradientBlas(double[] grad, double[] sumSq) {
        double[] y = data.y();
        int batch = layout.batch, bk = layout.outputs;
        Arrays.fill(sumSq, 0, batch, 0.0);
        for (int r0 = 0; r0 < n; r0 += CHUNK) {
            int rows = Math.min(CHUNK, n - r0);
            forwardRows(r0, rows, zc, hc, fc);
            Kernels.squaredResidual(fc, y, r0, rows, batch, k, rc, sumSq, 0);
            backwardRows(r0, rows, zc, hc, rc, r0 == 0 ? 0.0 : 1.0, grad, gc, dc);
        }
    }

    /**
     * f(X) of every probe (n x B k) in blocks of {@link #CHUNK} rows, without keeping the
     * activations: for evaluating on another data set (a test set) with little memory.
     */
    public void predict(double[] out) {
        if (conv != null) {
            conv.predict(out);
            return;
        }
        int bk = layout.outputs;
        for (int r0 = 0; r0 < n; r0 += CHUNK) {
            int rows = Math.min(CHUNK, n - r0);
            forwardRows(r0, rows, zc, hc, fc);
            System.arraycopy(fc, 0, out, r0 * bk, rows * bk);
        }
    }

    /**
     * The empirical NTK Gram H = J J^T of a single network at its current parameters (after
     * {@link #forward()}), (n k) x (n k), row-major, index i k + c. It is assembled from per-sample
     * layer gradients, never from the Jacobian: for W_l, the entry of (i, c), (j, c') is
     * (delta_l^c(i) . delta_l^c'(j)) (h_{l-1}(i) . h_{l-1}(j)) with delta_l^c = dF_c/dz_l; for a, it is
     * [c = c'] (h_{L-1}(i) . h_{L-1}(j)).
     */
    public double[] ntkGram() {
        if (layout.batch != 1) throw new IllegalStateException("the NTK Gram is for a single network");
        if (conv != null) return conv.ntkGram();
        ensureFull();
        int layers = layout.layers;
        int nk = n * k, m = layout.total;
        double[] gram = new double[nk * nk];
        double[] tmp = new double[n * n];
        double[] inner = new double[n * n];
        if (layout.trainsHidden) {
            double[][][] deltas = new double[k][layers][n * m];
            double[] v = new double[n * k];
            double[] scratch = new double[layout.size];
            for (int c = 0; c < k; c++) {
                Arrays.fill(v, 0.0);
                for (int i = 0; i < n; i++) v[i * k + c] = 1.0;
                backwardRows(0, n, z, h, v, 0.0, scratch, g, delta, deltas[c]);
            }
            for (int l = 0; l < layers; l++) {
                double[] in = l == 0 ? data.x() : h[l - 1];
                int dim = l == 0 ? d : m;
                blas.gemm(false, true, n, n, dim, 1.0, in, 0, dim, in, 0, dim, 0.0, inner, 0, n);
                for (int c = 0; c < k; c++) {
                    for (int c2 = 0; c2 < k; c2++) {
                        blas.gemm(false, true, n, n, m, 1.0, deltas[c][l], 0, m, deltas[c2][l], 0, m, 0.0, tmp, 0, n);
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                gram[(i * k + c) * nk + j * k + c2] += tmp[i * n + j] * inner[i * n + j];
                            }
                        }
                    }
                }
            }
        }
        if (layout.trainsOutput) {
            double[] top = h[layers - 1];
            blas.gemm(false, true, n, n, m, 1.0, top, 0, m, top, 0, m, 0.0, inner, 0, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < k; c++) gram[(i * k + c) * nk + j * k + c] += inner[i * n + j];
                }
            }
        }
        return gram;
    }

    /**
     * J^T v for the full batch: the gradient of 0.5 ||f - y||^2 when v = f - y (n x B k), written into
     * out (full layout; only trained ranges are written). Uses the activations of the last
     * {@link #forward()}.
     */
    public void vjp(double[] v, double[] out) {
        if (conv != null) {
            conv.vjp(v, out);
            return;
        }
        ensureFull();
        backwardRows(0, n, z, h, v, 0.0, out, g, delta);
    }

    private void forwardRows(int r0, int rows, double[][] zs, double[][] hs, double[] out) {
        int layers = layout.layers, batch = layout.batch, total = layout.total;
        int[] col = layout.col, aOff = layout.aOff;
        int[][] wOff = layout.wOff;
        double[] x = data.x();
        for (int l = 0; l < layers; l++) {
            double[] zl = zs[l], hl = hs[l];
            if (l == 0) {
                // Probe by probe, as for the later layers: one product over all widths would round a
                // probe's sums by where its columns fall in the batch, and a batch must give each
                // probe the bits it gets alone.
                for (int j = 0; j < batch; j++) {
                    blas.gemm(
                            false,
                            true,
                            rows,
                            widths[j],
                            d,
                            1.0,
                            x,
                            r0 * d,
                            d,
                            theta,
                            wOff[0][0] + col[j] * d,
                            d,
                            0.0,
                            zl,
                            col[j],
                            total);
                }
            } else {
                for (int j = 0; j < batch; j++) {
                    int mj = widths[j];
                    blas.gemm(
                            false,
                            true,
                            rows,
                            mj,
                            mj,
                            1.0,
                            hs[l - 1],
                            col[j],
                            total,
                            theta,
                            wOff[l][j],
                            mj,
                            0.0,
                            zl,
                            col[j],
                            total);
                }
            }
            if (productsOnly) continue;
            double[] s = layout.colScale[l];
            double[] prev = layout.skip[l] != 0 ? hs[l - 1] : null;
            if (relu) {
                Kernels.reluForward(hl, zl, s, rows, total);
            } else {
                for (int i = 0, idx = 0; i < rows; i++) {
                    for (int c = 0; c < total; c++, idx++) hl[idx] = s[c] * sigma.value(zl[idx]);
                }
            }
            if (prev != null) {
                for (int idx = 0; idx < rows * total; idx++) hl[idx] += prev[idx];
            }
        }
        double[] top = hs[layers - 1];
        if (k == 1) {
            // One output: f = h . a per probe block, in Java (B tiny BLAS calls would cost more than the sums).
            int a0 = aOff[0];
            for (int i = 0; i < rows; i++) {
                int o = i * total;
                for (int j = 0; j < batch; j++) {
                    double acc = 0;
                    for (int c = col[j], end = col[j] + widths[j]; c < end; c++) acc += top[o + c] * theta[a0 + c];
                    out[i * batch + j] = acc;
                }
            }
            return;
        }
        for (int j = 0; j < batch; j++) {
            blas.gemm(
                    false,
                    false,
                    rows,
                    k,
                    widths[j],
                    1.0,
                    top,
                    col[j],
                    total,
                    theta,
                    aOff[j],
                    k,
                    0.0,
                    out,
                    j * k,
                    layout.outputs);
        }
    }

    private void backwardRows(
            int r0,
            int rows,
            double[][] zs,
            double[][] hs,
            double[] v,
            double beta,
            double[] out,
            double[] gs,
            double[] ds) {
        backwardRows(r0, rows, zs, hs, v, beta, out, gs, ds, null);
    }

    /** The backward pass; with {@code keep}, each layer's per-sample gradient dF/dz_l is copied to keep[l]. */
    private void backwardRows(
            int r0,
            int rows,
            double[][] zs,
            double[][] hs,
            double[] v,
            double beta,
            double[] out,
            double[] gs,
            double[] ds,
            double[][] keep) {
        int layers = layout.layers, batch = layout.batch, total = layout.total, bk = layout.outputs;
        int[] col = layout.col, aOff = layout.aOff;
        int[][] wOff = layout.wOff;
        double[] top = hs[layers - 1];
        if (k == 1) {
            outputGradient1(rows, top, v, beta, out, gs);
        } else {
            if (layout.trainsOutput) {
                for (int j = 0; j < batch; j++) {
                    blas.gemm(
                            true, false, widths[j], k, rows, 1.0, top, col[j], total, v, j * k, bk, beta, out, aOff[j],
                            k);
                }
            }
            if (layout.trainsHidden) {
                for (int j = 0; j < batch; j++) {
                    blas.gemm(
                            false, true, rows, widths[j], k, 1.0, v, j * k, bk, theta, aOff[j], k, 0.0, gs, col[j],
                            total);
                }
            }
        }
        if (!layout.trainsHidden) return;
        for (int l = layers - 1; l >= 0; l--) {
            double[] zl = zs[l];
            double[] s = layout.colScale[l];
            if (productsOnly) {
                // no elementwise work
            } else if (relu) {
                Kernels.reluBackward(ds, gs, zl, s, rows, total);
            } else {
                for (int i = 0, idx = 0; i < rows; i++) {
                    for (int c = 0; c < total; c++, idx++) ds[idx] = s[c] * gs[idx] * sigma.derivative(zl[idx]);
                }
            }
            if (keep != null) System.arraycopy(ds, 0, keep[l], 0, rows * total);
            if (l == 0) {
                for (int j = 0; j < batch; j++) {
                    blas.gemm(
                            true,
                            false,
                            widths[j],
                            d,
                            rows,
                            1.0,
                            ds,
                            col[j],
                            total,
                            data.x(),
                            r0 * d,
                            d,
                            beta,
                            out,
                            wOff[0][0] + col[j] * d,
                            d);
                }
            } else {
                for (int j = 0; j < batch; j++) {
                    int mj = widths[j];
                    blas.gemm(
                            true,
                            false,
                            mj,
                            mj,
                            rows,
                            1.0,
                            ds,
                            col[j],
                            total,
                            hs[l - 1],
                            col[j],
                            total,
                            beta,
                            out,
                            wOff[l][j],
                            mj);
                    // dL/dh_{l-1} = skip * g + delta W_l
                    blas.gemm(
                            false,
                            false,
                            rows,
                            mj,
                            mj,
                            1.0,
                            ds,
                            col[j],
                            total,
                            theta,
                            wOff[l][j],
                            mj,
                            layout.skip[l],
                            gs,
                            col[j],
                            total);
                }
            }
        }
    }

    /**
     * The output layer's part of the backward pass for one output, in Java: the gradient of a
     * (a_c += sum_i h_ic v_i(c)) when trained, and g = v a^T into gs when hidden layers are.
     */
    private void outputGradient1(int rows, double[] top, double[] v, double beta, double[] out, double[] gs) {
        int batch = layout.batch, total = layout.total;
        int[] col = layout.col;
        int a0 = layout.aOff[0];
        if (layout.trainsOutput) {
            if (beta == 0) Arrays.fill(out, a0, a0 + total, 0.0);
            for (int i = 0; i < rows; i++) {
                int o = i * total;
                for (int j = 0; j < batch; j++) {
                    double vi = v[i * batch + j];
                    for (int c = col[j], end = col[j] + widths[j]; c < end; c++) out[a0 + c] += top[o + c] * vi;
                }
            }
        }
        if (layout.trainsHidden) {
            for (int i = 0; i < rows; i++) {
                int o = i * total;
                for (int j = 0; j < batch; j++) {
                    double vi = v[i * batch + j];
                    for (int c = col[j], end = col[j] + widths[j]; c < end; c++) gs[o + c] = vi * theta[a0 + c];
                }
            }
        }
    }

    /**
     * J u: the change of f(X) along the parameter direction u (full layout; entries outside the
     * trained ranges are ignored), written into out (n x B k). Uses the last {@link #forward()}.
     */
    public void jvp(double[] u, double[] out) {
        if (conv != null) {
            conv.jvp(u, out);
            return;
        }
        ensureFull();
        int layers = layout.layers, batch = layout.batch, total = layout.total, bk = layout.outputs;
        int[] col = layout.col, aOff = layout.aOff;
        int[][] wOff = layout.wOff;
        double[] tPrev = t0, tCur = t1;
        double[] x = data.x();
        if (layout.trainsHidden) {
            for (int l = 0; l < layers; l++) {
                // dz = t_{l-1} W_l^T + h_{l-1} dW_l^T
                if (l == 0) {
                    blas.gemm(false, true, n, total, d, 1.0, x, 0, d, u, wOff[0][0], d, 0.0, delta, 0, total);
                } else {
                    for (int j = 0; j < batch; j++) {
                        int mj = widths[j];
                        blas.gemm(
                                false,
                                true,
                                n,
                                mj,
                                mj,
                                1.0,
                                h[l - 1],
                                col[j],
                                total,
                                u,
                                wOff[l][j],
                                mj,
                                0.0,
                                delta,
                                col[j],
                                total);
                        blas.gemm(
                                false,
                                true,
                                n,
                                mj,
                                mj,
                                1.0,
                                tPrev,
                                col[j],
                                total,
                                theta,
                                wOff[l][j],
                                mj,
                                1.0,
                                delta,
                                col[j],
                                total);
                    }
                }
                double[] zl = z[l];
                double[] s = layout.colScale[l];
                double sk = l == 0 ? 0 : layout.skip[l];
                for (int i = 0, idx = 0; i < n; i++) {
                    for (int c = 0; c < total; c++, idx++) {
                        tCur[idx] = sk * tPrev[idx] + s[c] * sigma.derivative(zl[idx]) * delta[idx];
                    }
                }
                double[] sw = tPrev;
                tPrev = tCur;
                tCur = sw;
            }
            for (int j = 0; j < batch; j++) {
                blas.gemm(
                        false, false, n, k, widths[j], 1.0, tPrev, col[j], total, theta, aOff[j], k, 0.0, out, j * k,
                        bk);
            }
        } else {
            Arrays.fill(out, 0.0);
        }
        if (layout.trainsOutput) {
            for (int j = 0; j < batch; j++) {
                blas.gemm(
                        false,
                        false,
                        n,
                        k,
                        widths[j],
                        1.0,
                        h[layers - 1],
                        col[j],
                        total,
                        u,
                        aOff[j],
                        k,
                        1.0,
                        out,
                        j * k,
                        bk);
            }
        }
    }
}
