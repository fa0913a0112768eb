package org.widthlaw.lib.theory;

import org.widthlaw.lib.data.Dataset;

/** Limiting kernels of the theory (docs/METHOD.md section 7). */
public final class Ntk {
    /**
     * Largest n for which lambda0 is computed by a dense eigen-decomposition (LAPACK dsyev: about 3 s at 2048, 41 s at
     * 4096).
     */
    public static final int MAX_N = 4096;

    private Ntk() {}

    /**
     * H-infinity of the two-layer ReLU net on unit-norm inputs (Du et al. 2019):
     * H_ij = x_i.x_j (pi - arccos(x_i.x_j)) / (2 pi).
     */
    public static double[][] hInfinity(Dataset data) {
        int n = data.n(), d = data.d();
        double[] x = data.x();
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += x[i * d + c] * x[j * d + c];
                dot = Math.max(-1, Math.min(1, dot));
                // On the diagonal the angle is 0 by definition: acos(1 - 1e-16) would be 1.5e-8.
                double v = i == j ? 0.5 : dot * (Math.PI - StrictMath.acos(dot)) / (2 * Math.PI);
                h[i][j] = v;
                h[j][i] = v;
            }
        }
        return h;
    }

    /** lambda0 = lambda_min(H-infinity), or NaN above {@link #MAX_N} samples. */
    public static double lambda0(Dataset data) {
        if (data.n() > MAX_N) return Double.NaN;
        int n = data.n();
        double[][] h = hInfinity(data);
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) System.arraycopy(h[i], 0, flat, i * n, n);
        return Eigen.symmetric(flat, n)[0];
    }

    /**
     * The limiting Gram K^(H) of Du, Lee, Li, Wang, Zhai 2019 (Definition 5.1) for the fc ReLU net of
     * depth L, which has H = L - 1 hidden layers (docs/METHOD.md sections 3 and 7): the limit, as the
     * width grows, of the inner products of the gradients of f(x_i) and f(x_j) with respect to the last
     * hidden layer's weights W_H. K^(0) = X X^T; for h = 1, ..., H - 1 the forward (degree-1 arc-cosine)
     * step K^(h)_ij = c_sigma E[relu(u) relu(v)] = c_sigma sqrt(K_ii K_jj) (sin t + (pi - t) cos t) / (2 pi);
     * the last step is the derivative (degree-0) step
     * K^(H)_ij = c_sigma K_ij E[relu'(u) relu'(v)] = c_sigma K_ij (pi - t) / (2 pi). In both, K = K^(h-1),
     * (u, v) is centred Gaussian with covariance [[K_ii, K_ij], [K_ij, K_jj]] and
     * t = arccos(K_ij / sqrt(K_ii K_jj)) (0 on the diagonal). At L = 2 this is c_sigma times
     * {@link #hInfinity}. Row-major n x n, exactly symmetric.
     */
    public static double[] fcReluGram(Dataset data, int depth, double cSigma) {
        if (depth < 2) throw new IllegalArgumentException("an fc net has depth >= 2, got " + depth);
        int hidden = depth - 1;
        double[] k = fcReluForwardKernel(data, hidden - 1, cSigma);
        return arcCosStep(k, data.n(), cSigma, true);
    }

    /**
     * The forward (activation) kernel K^(l) of the fc ReLU net, l = {@code layers}: the wide-width limit of
     * h_l(x_i).h_l(x_j) (l = 0: the inputs' inner products), l degree-1 steps of {@link #fcReluGram}'s
     * recursion. It is not the Gram of the deep fc bound, only its input.
     */
    static double[] fcReluForwardKernel(Dataset data, int layers, double cSigma) {
        int n = data.n(), d = data.d();
        double[] x = data.x();
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) s += x[i * d + c] * x[j * d + c];
                k[i * n + j] = s;
                k[j * n + i] = s;
            }
        }
        for (int l = 1; l <= layers; l++) k = arcCosStep(k, n, cSigma, false);
        return k;
    }

    /**
     * One step of the recursion on the n x n kernel k: c_sigma E[relu(u) relu(v)] (degree 1) or, with
     * {@code derivative}, c_sigma k_ij E[relu'(u) relu'(v)] (degree 0). A sample whose kernel diagonal is 0
     * (u = 0 almost surely) gives 0 in both.
     */
    private static double[] arcCosStep(double[] k, int n, double cSigma, boolean derivative) {
        double[] next = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double kij = k[i * n + j];
                double norm = Math.sqrt(k[i * n + i] * k[j * n + j]);
                double v;
                if (norm == 0) {
                    v = 0;
                } else {
                    // On the diagonal the angle is 0 by definition: acos(1 - 1e-16) would be 1.5e-8.
                    double t = i == j ? 0 : StrictMath.acos(Math.max(-1, Math.min(1, kij / norm)));
                    v = derivative
                            ? cSigma * kij * (Math.PI - t) / (2 * Math.PI)
                            : cSigma * norm * (StrictMath.sin(t) + (Math.PI - t) * StrictMath.cos(t)) / (2 * Math.PI);
                }
                next[i * n + j] = v;
                next[j * n + i] = v;
            }
        }
        return next;
    }

    /** lambda = lambda_min of {@link #fcReluGram} (the lambda of the deep fc bound), or NaN above {@link #MAX_N} samples. */
    public static double fcReluLambda(Dataset data, int depth, double cSigma) {
        if (data.n() > MAX_N) return Double.NaN;
        return Eigen.symmetric(fcReluGram(data, depth, cSigma), data.n())[0];
    }
}
