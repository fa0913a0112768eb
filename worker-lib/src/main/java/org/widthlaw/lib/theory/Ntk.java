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
     * The limiting Gram of the last hidden layer, K^(L-1), of a deep fc ReLU net (Du, Lee, Li, Wang,
     * Zhai 2019): K^(0) = X X^T and K^(l)_ij = c_sigma E[relu(u) relu(v)] with (u, v) centred Gaussian
     * of covariance [[K_ii, K_ij], [K_ij, K_jj]], whose closed form is
     * sqrt(K_ii K_jj) (sin t + (pi - t) cos t) / (2 pi), t the angle.
     */
    public static double[] fcReluGram(Dataset data, int depth, double cSigma) {
        int n = data.n(), d = data.d();
        double[] x = data.x();
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) s += x[i * d + c] * x[j * d + c];
                k[i * n + j] = s;
            }
        }
        double[] next = new double[n * n];
        for (int l = 1; l < depth; l++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double a = k[i * n + i], b = k[j * n + j];
                    double norm = Math.sqrt(a * b);
                    double t = i == j ? 0 : StrictMath.acos(Math.max(-1, Math.min(1, k[i * n + j] / norm)));
                    next[i * n + j] =
                            cSigma * norm * (StrictMath.sin(t) + (Math.PI - t) * StrictMath.cos(t)) / (2 * Math.PI);
                }
            }
            double[] sw = k;
            k = next;
            next = sw;
        }
        return k;
    }

    /** lambda_min of {@link #fcReluGram}, or NaN above {@link #MAX_N} samples. */
    public static double fcReluLambda(Dataset data, int depth, double cSigma) {
        if (data.n() > MAX_N) return Double.NaN;
        return Eigen.symmetric(fcReluGram(data, depth, cSigma), data.n())[0];
    }
}
