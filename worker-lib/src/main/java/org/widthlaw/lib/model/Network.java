package org.widthlaw.lib.model;

import java.util.Arrays;
import org.widthlaw.lib.Gaussian;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.Dataset;

/**
 * One network of PROTOCOL.md section 3 on a fixed data set, in float64, with the workspaces of
 * its forward pass, gradient and Jacobian-vector product allocated once.
 *
 * <p>Layers l = 1..L-1 map h_{l-1} to h_l = skip_l h_{l-1} + s_l sigma(W_l h_{l-1}), with
 * (skip, s) = (0, sqrt(c_sigma/m)) for fc layers and the first resnet layer, and
 * (1, c_res/(L sqrt m)) for later resnet layers; f = a . h_{L-1}. Two-layer is fc with L = 2 and
 * c_sigma = 1. All parameters live in one vector, [W_1, ..., W_{L-1}, a], row-major; the trained
 * ones are the contiguous slice [{@link #trainedFrom()}, {@link #trainedTo()}).
 */
public final class Network {
    private final Blas blas;
    private final Dataset data;
    private final ModelSpec spec;
    private final Activation sigma;
    private final int n, d, k, m, layers;
    private final int[] wOff;   // offset of W_l (index l-1) in theta
    private final int[] inDim;  // input dimension of layer l (index l-1)
    private final double[] scale, skip;
    private final int aOff, size, trainedFrom, trainedTo;

    private final double[] theta;
    private final double[][] z, h; // pre-activations and outputs of layers 1..L-1 (index l-1), n x m
    private final double[] f, g, delta, t0, t1;

    public Network(ModelSpec spec, Dataset data, int width, Blas blas) {
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
        this.blas = blas;
        this.data = data;
        this.spec = spec;
        this.sigma = spec.sigma();
        this.n = data.n();
        this.d = data.d();
        this.k = data.k();
        this.m = width;
        this.layers = spec.depth() - 1;
        this.wOff = new int[layers];
        this.inDim = new int[layers];
        this.scale = new double[layers];
        this.skip = new double[layers];
        boolean resnet = spec.arch().equals("resnet");
        double cs = spec.effectiveCSigma();
        int off = 0;
        for (int l = 0; l < layers; l++) {
            inDim[l] = l == 0 ? d : m;
            wOff[l] = off;
            off = Math.addExact(off, Math.multiplyExact(m, inDim[l]));
            if (resnet && l > 0) {
                skip[l] = 1;
                scale[l] = spec.cRes() / (spec.depth() * Math.sqrt(m));
            } else {
                scale[l] = Math.sqrt(cs / m);
            }
        }
        this.aOff = off;
        this.size = Math.addExact(off, Math.multiplyExact(m, k));
        this.trainedFrom = spec.trainsHidden() ? 0 : aOff;
        this.trainedTo = spec.trainsOutput() ? size : aOff;
        this.theta = new double[size];
        this.z = new double[layers][n * m];
        this.h = new double[layers][n * m];
        this.f = new double[n * k];
        this.g = new double[n * m];
        this.delta = new double[n * m];
        this.t0 = new double[n * m];
        this.t1 = new double[n * m];
    }

    /** Draws W entries from N(0,1) and a entries uniformly from {-1, +1}, from one seed. */
    public void initialise(long seed) {
        Gaussian rng = new Gaussian(seed);
        for (int i = 0; i < aOff; i++) theta[i] = rng.next();
        for (int i = aOff; i < size; i++) theta[i] = rng.nextSign();
    }

    public double[] theta() {
        return theta;
    }

    public int size() {
        return size;
    }

    public int trainedFrom() {
        return trainedFrom;
    }

    public int trainedTo() {
        return trainedTo;
    }

    public int width() {
        return m;
    }

    public Dataset data() {
        return data;
    }

    /** Outputs f(X) (n x k) of the last {@link #forward()}. */
    public double[] outputs() {
        return f;
    }

    /** Pre-activations of layer l (1-based) of the last forward pass, n x m. */
    public double[] preActivations(int l) {
        return z[l - 1];
    }

    public int hiddenLayers() {
        return layers;
    }

    /** Computes f(X) for the current theta into {@link #outputs()}. */
    public void forward() {
        double[] x = data.x();
        for (int l = 0; l < layers; l++) {
            double[] in = l == 0 ? x : h[l - 1];
            double[] zl = z[l], hl = h[l];
            blas.gemm(false, true, n, m, inDim[l], 1.0, in, 0, inDim[l], theta, wOff[l], inDim[l], 0.0, zl, 0, m);
            double s = scale[l];
            if (skip[l] != 0) {
                for (int i = 0; i < zl.length; i++) hl[i] = in[i] + s * sigma.value(zl[i]);
            } else {
                for (int i = 0; i < zl.length; i++) hl[i] = s * sigma.value(zl[i]);
            }
        }
        blas.gemm(false, false, n, k, m, 1.0, h[layers - 1], 0, m, theta, aOff, k, 0.0, f, 0, k);
    }

    /**
     * J^T v: the gradient of 0.5 ||f - y||^2 when v = f - y (n x k), written into out (full
     * layout; only the trained slice is touched). Uses the activations of the last forward pass.
     */
    public void vjp(double[] v, double[] out) {
        double[] top = h[layers - 1];
        if (spec.trainsOutput()) {
            blas.gemm(true, false, m, k, n, 1.0, top, 0, m, v, 0, k, 0.0, out, aOff, k);
        }
        if (!spec.trainsHidden()) return;
        // g = dL/dh_{L-1} = v a^T
        blas.gemm(false, true, n, m, k, 1.0, v, 0, k, theta, aOff, k, 0.0, g, 0, m);
        for (int l = layers - 1; l >= 0; l--) {
            double[] zl = z[l];
            double s = scale[l];
            for (int i = 0; i < delta.length; i++) delta[i] = s * g[i] * sigma.derivative(zl[i]);
            double[] in = l == 0 ? data.x() : h[l - 1];
            blas.gemm(true, false, m, inDim[l], n, 1.0, delta, 0, m, in, 0, inDim[l], 0.0, out, wOff[l], inDim[l]);
            if (l > 0) {
                // dL/dh_{l-1} = skip * g + delta W_l
                blas.gemm(false, false, n, m, m, 1.0, delta, 0, m, theta, wOff[l], m, skip[l], g, 0, m);
            }
        }
    }

    /**
     * J u: the change of f(X) along the parameter direction u (full layout; entries outside the
     * trained slice are ignored), written into out (n x k). Uses the last forward pass.
     */
    public void jvp(double[] u, double[] out) {
        double[] tPrev = t0, tCur = t1;
        boolean hidden = spec.trainsHidden();
        boolean hasTangent = false;
        if (hidden) {
            for (int l = 0; l < layers; l++) {
                double[] in = l == 0 ? data.x() : h[l - 1];
                // dz = t_{l-1} W_l^T + h_{l-1} dW_l^T
                blas.gemm(false, true, n, m, inDim[l], 1.0, in, 0, inDim[l], u, wOff[l], inDim[l], 0.0, delta, 0, m);
                if (hasTangent) {
                    blas.gemm(false, true, n, m, m, 1.0, tPrev, 0, m, theta, wOff[l], m, 1.0, delta, 0, m);
                }
                double[] zl = z[l];
                double s = scale[l];
                if (skip[l] != 0 && hasTangent) {
                    for (int i = 0; i < delta.length; i++) tCur[i] = tPrev[i] + s * sigma.derivative(zl[i]) * delta[i];
                } else {
                    for (int i = 0; i < delta.length; i++) tCur[i] = s * sigma.derivative(zl[i]) * delta[i];
                }
                hasTangent = true;
                double[] sw = tPrev;
                tPrev = tCur;
                tCur = sw;
            }
            blas.gemm(false, false, n, k, m, 1.0, tPrev, 0, m, theta, aOff, k, 0.0, out, 0, k);
        } else {
            Arrays.fill(out, 0.0);
        }
        if (spec.trainsOutput()) {
            blas.gemm(false, false, n, k, m, 1.0, h[layers - 1], 0, m, u, aOff, k, 1.0, out, 0, k);
        }
    }

    /** Floating-point operations of one GD step's matrix products (forward pass plus gradient). */
    public double flopsPerStep() {
        return flopsPerStep(spec, n, d, k, m);
    }

    /** The same, from the shapes alone. */
    public static double flopsPerStep(ModelSpec spec, int n, int d, int k, int m) {
        int layers = spec.depth() - 1;
        double fwd = 2.0 * n * m * d + 2.0 * n * m * m * (layers - 1) + 2.0 * n * m * k;
        double bwd = 0;
        if (spec.trainsOutput()) bwd += 2.0 * n * m * k;
        if (spec.trainsHidden()) bwd += 2.0 * n * m * k + 2.0 * n * m * d + 4.0 * n * m * m * (layers - 1);
        return fwd + bwd;
    }
}
