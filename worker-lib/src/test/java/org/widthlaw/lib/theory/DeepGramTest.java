package org.widthlaw.lib.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Trained;

/**
 * The Gram K^(H) of the deep fc bound (docs/METHOD.md section 7, Du, Lee, Li, Wang, Zhai 2019,
 * Definition 5.1), checked by hand, against a wide random network, and against H-infinity; the
 * formulas of the deep bounds; the Gaussian moment behind c_sigma.
 */
class DeepGramTest {
    private static final double PI = Math.PI;

    private static Dataset points(double[]... rows) {
        int d = rows[0].length;
        double[] x = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, x, i * d, d);
        return new Dataset(rows.length, d, 1, x, new double[rows.length]);
    }

    /** x1 at 0 degrees, x2 at 60, x3 at 90 on the unit circle. */
    private static Dataset circle() {
        return points(new double[] {1, 0}, new double[] {0.5, Math.sqrt(3) / 2}, new double[] {0, 1});
    }

    private static void assertGram(double[][] expected, double[] actual, double tol) {
        int n = expected.length;
        assertEquals(n * n, actual.length);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expected[i][j], actual[i * n + j], tol, "entry " + i + "," + j);
            }
        }
    }

    @Test
    void depthTwoIsOneDerivativeStepOnTheInputs() {
        // L = 2: H = 1 hidden layer, no forward step: K^(1)_ij = c x_i.x_j (pi - t) / (2 pi), t = arccos(x_i.x_j).
        // Diagonal: c * 1 * pi / (2 pi) = c/2.
        // (1,2): x.y = 1/2, t = pi/3: c * 1/2 * (2 pi/3) / (2 pi) = c/6.
        // (1,3): x.y = 0: 0.
        // (2,3): x.y = sqrt(3)/2, t = pi/6: c * sqrt(3)/2 * (5 pi/6) / (2 pi) = c * 5 sqrt(3) / 24.
        for (double c : new double[] {2, 1.5}) {
            double a = 5 * Math.sqrt(3) / 24;
            double[][] expected = {{c / 2, c / 6, 0}, {c / 6, c / 2, c * a}, {0, c * a, c / 2}};
            assertGram(expected, Ntk.fcReluGram(circle(), 2, c), 1e-15);
        }
        // Two points at 60 degrees, c = 2: [[1, 1/3], [1/3, 1]], lambda_min = 2/3.
        Dataset two = points(new double[] {1, 0}, new double[] {0.5, Math.sqrt(3) / 2});
        assertEquals(2.0 / 3, Ntk.fcReluLambda(two, 2, 2), 1e-12);
    }

    @Test
    void depthThreeIsOneForwardStepThenTheDerivativeStep() {
        for (double c : new double[] {2, 1.5}) {
            // Forward step, K^(1)_ij = c sqrt(K_ii K_jj) (sin t + (pi - t) cos t) / (2 pi) on the unit inputs:
            // diagonal (t = 0): c * pi / (2 pi) = c/2;
            // (1,2), t = pi/3: c (sqrt(3)/2 + (2 pi/3)(1/2)) / (2 pi);
            // (1,3), t = pi/2: c (1 + 0) / (2 pi);
            // (2,3), t = pi/6: c (1/2 + (5 pi/6)(sqrt(3)/2)) / (2 pi).
            double k12 = c * (Math.sqrt(3) / 2 + PI / 3) / (2 * PI);
            double k13 = c / (2 * PI);
            double k23 = c * (0.5 + 5 * PI * Math.sqrt(3) / 12) / (2 * PI);
            double diag1 = c / 2;
            // Derivative step, K^(2)_ij = c K^(1)_ij (pi - t') / (2 pi), where
            // cos t' = K^(1)_ij / sqrt(K^(1)_ii K^(1)_jj) = K^(1)_ij / (c/2).
            // Diagonal (t' = 0): c * (c/2) / 2 = c^2/4.
            double[] off = new double[3];
            double[] k1 = {k12, k13, k23};
            for (int e = 0; e < 3; e++) {
                double cosT = k1[e] / diag1;
                off[e] = c * k1[e] * (PI - Math.acos(cosT)) / (2 * PI);
            }
            double dg = c * c / 4;
            double[][] expected = {{dg, off[0], off[1]}, {off[0], dg, off[2]}, {off[1], off[2], dg}};
            assertGram(expected, Ntk.fcReluGram(circle(), 3, c), 1e-14);
        }
        // At c = 2 the three numbers are rho (pi - arccos rho) / pi with rho = (sqrt(3)/2 + pi/3) / pi = 0.60900,
        // 1/pi and (1/2 + 5 sqrt(3) pi/12) / pi = 0.88084: 0.431431, 0.191978 and 0.742571.
        double[] g = Ntk.fcReluGram(circle(), 3, 2);
        assertEquals(0.431431, g[1], 1e-6);
        assertEquals(0.191978, g[2], 1e-6);
        assertEquals(0.742571, g[5], 1e-6);
        // Two points at 60 degrees, c = 2: [[1, 0.431431], [0.431431, 1]], lambda_min = 1 - 0.431431.
        Dataset two = points(new double[] {1, 0}, new double[] {0.5, Math.sqrt(3) / 2});
        assertEquals(1 - 0.431431, Ntk.fcReluLambda(two, 3, 2), 1e-6);
    }

    @Test
    void depthTwoIsCSigmaTimesHInfinity() {
        Dataset data = Datasets.build(DataSpec.sphere(10, Labels.RANDOM, 1), 40, 3);
        double[][] h = Ntk.hInfinity(data);
        for (double c : new double[] {1, 2}) {
            double[] k = Ntk.fcReluGram(data, 2, c);
            for (int i = 0; i < data.n(); i++) {
                for (int j = 0; j < data.n(); j++) assertEquals(c * h[i][j], k[i * data.n() + j], 1e-12);
            }
            assertEquals(c * Ntk.lambda0(data), Ntk.fcReluLambda(data, 2, c), 1e-10);
        }
    }

    @Test
    void theGramIsSymmetricAndDefinedOnlyForFcDepths() {
        Dataset data = Datasets.build(DataSpec.sphere(5, Labels.RANDOM, 1), 30, 1);
        double[] k = Ntk.fcReluGram(data, 5, 2);
        for (int i = 0; i < 30; i++) for (int j = 0; j < 30; j++) assertEquals(k[i * 30 + j], k[j * 30 + i], 0);
        assertThrows(IllegalArgumentException.class, () -> Ntk.fcReluGram(data, 1, 2));
        Dataset big = new Dataset(Ntk.MAX_N + 1, 1, 1, new double[Ntk.MAX_N + 1], new double[Ntk.MAX_N + 1]);
        assertTrue(Double.isNaN(Ntk.fcReluLambda(big, 3, 2)));
    }

    /**
     * K^(H) is the wide limit of a random net's gradient inner products with respect to its last hidden layer W_H.
     * The net (docs/METHOD.md section 3, the scaling of Du et al.): h_0 = x, z_l = W_l h_{l-1},
     * h_l = sqrt(c/m) relu(z_l), f(x) = a.h_H, every entry of W_l and a drawn N(0, 1). Then
     * df/dz_H = sqrt(c/m) a * relu'(z_H) =: delta, df/dW_H = delta h_{H-1}^T (an m x m_{H-1} matrix of rank one), and
     * the Frobenius inner product for x_i, x_j is (delta(i).delta(j)) (h_{H-1}(i).h_{H-1}(j))
     * = (c/m) sum_r a_r^2 relu'(z_r(i)) relu'(z_r(j)) * h_{H-1}(i).h_{H-1}(j). As m grows the second factor tends
     * to K^(H-1)_ij (x_i.x_j at H = 1) and the first, z(i), z(j) being Gaussian given h_{H-1} with that covariance
     * and E[a^2] = 1, to c E[relu'(u) relu'(v)]: the product is K^(H)_ij. One net with three hidden layers gives
     * the depths 2, 3, 4 by reading the gradient at each layer with its own fresh output vector a.
     */
    @Test
    void theGramIsTheWideLimitOfGradientInnerProductsAtTheLastHiddenLayer() {
        // Angles: (1,2) 60 degrees, (1,3) 126.9, (2,3) 107.5.
        Dataset data =
                points(new double[] {1, 0, 0}, new double[] {0.5, Math.sqrt(3) / 2, 0}, new double[] {-0.6, 0, 0.8});
        int p = data.n(), d = data.d(), m = 4096, reps = 10, maxHidden = 3;
        double c = 2;
        // est[r][H-1][i*p+j]: the estimate of replicate r for H hidden layers.
        double[][][] est = new double[reps][maxHidden][p * p];
        for (int rep = 0; rep < reps; rep++) {
            // SplittableRandom's own normal sampler (a ziggurat): fast, and independent of the code's Gaussian.
            SplittableRandom rng = new SplittableRandom(1000 + rep);
            double[][] h = new double[p][];
            for (int i = 0; i < p; i++) h[i] = Arrays.copyOfRange(data.x(), i * d, (i + 1) * d);
            for (int layer = 1; layer <= maxHidden; layer++) {
                int in = h[0].length;
                double[][] z = new double[p][m];
                for (int r = 0; r < m; r++) {
                    // Row r of W_l, drawn entry by entry, applied to every point.
                    double t0 = 0, t1 = 0, t2 = 0;
                    for (int q = 0; q < in; q++) {
                        double w = rng.nextGaussian();
                        t0 += w * h[0][q];
                        t1 += w * h[1][q];
                        t2 += w * h[2][q];
                    }
                    z[0][r] = t0;
                    z[1][r] = t1;
                    z[2][r] = t2;
                }
                double[] a2 = new double[m];
                for (int r = 0; r < m; r++) {
                    double a = rng.nextGaussian();
                    a2[r] = a * a;
                }
                for (int i = 0; i < p; i++) {
                    for (int j = 0; j < p; j++) {
                        double dd = 0;
                        for (int r = 0; r < m; r++) if (z[i][r] > 0 && z[j][r] > 0) dd += a2[r];
                        double hh = 0;
                        for (int q = 0; q < in; q++) hh += h[i][q] * h[j][q];
                        est[rep][layer - 1][i * p + j] = (c / m) * dd * hh;
                    }
                }
                double scale = Math.sqrt(c / m);
                double[][] next = new double[p][m];
                for (int i = 0; i < p; i++) for (int r = 0; r < m; r++) next[i][r] = scale * Math.max(0, z[i][r]);
                h = next;
            }
        }
        for (int hidden = 1; hidden <= maxHidden; hidden++) {
            double[] k = Ntk.fcReluGram(data, hidden + 1, c);
            double[] forward = Ntk.fcReluForwardKernel(data, hidden, c);
            for (int e = 0; e < p * p; e++) {
                double mean = 0;
                for (int rep = 0; rep < reps; rep++) mean += est[rep][hidden - 1][e];
                mean /= reps;
                double ss = 0;
                for (int rep = 0; rep < reps; rep++) {
                    double v = est[rep][hidden - 1][e] - mean;
                    ss += v * v;
                }
                // Standard error of the mean of 10 independent replicates; with its own estimate of the spread the
                // ratio (mean - K) / se is Student t with 9 degrees of freedom, beyond 5 with probability below
                // 0.001. The finite-width bias is O(1/m): at m = 512, 400 replicates showed none beyond their own
                // standard errors (0.001 to 0.009), so at m = 4096 it is far inside the tolerance.
                double se = Math.sqrt(ss / (reps - 1) / reps);
                String where = "L = " + (hidden + 1) + ", entry " + (e / p) + "," + (e % p);
                assertTrue(se < 0.03, where + ": se " + se);
                assertEquals(k[e], mean, 5 * se, where + " (se " + se + ")");
                // The forward kernel of the same layer (the degree-1 step at every layer, not the bound's Gram) is
                // rejected off the diagonal (on it both are |x|^2 = 1 at c = 2).
                if (e / p != e % p) {
                    assertTrue(
                            Math.abs(forward[e] - mean) > 10 * se,
                            where + ": forward " + forward[e] + " against " + mean + " (se " + se + ")");
                }
            }
        }
    }

    @Test
    void theDeepBoundsAtHandPickedValues() {
        // 2^3 * 10^4 / 0.5^4 = 8 * 10000 * 16.
        assertEquals(1_280_000, Theory.duDeepFc(10, 3, 0.5), 1e-6);
        // 2^5 * 20^4 / 0.25^4 = 32 * 160000 * 256.
        assertEquals(1_310_720_000, Theory.duDeepFc(20, 5, 0.25), 1e-3);
        // 10^4 / (0.5^4 * 3^6) = 160000 / 729.
        assertEquals(160_000.0 / 729, Theory.duDeepResnet(10, 3, 0.5), 1e-9);
        // 20^4 / (0.25^4 * 4^6) = 160000 * 256 / 4096 = 10000.
        assertEquals(10_000, Theory.duDeepResnet(20, 4, 0.25), 1e-9);
        assertTrue(Double.isNaN(Theory.duDeepFc(10, 3, Double.NaN)), "a missing lambda gives NaN");
    }

    @Test
    void theSecondMomentsBehindCSigma() {
        // E[sigma(z)^2], z ~ N(0, 1), by the trapezoid rule on [-40, 40] with step 1/512 (spectrally accurate for
        // this smooth, fast-decaying integrand); the code uses Simpson's rule on [-12, 12].
        int steps = 80 * 512;
        double h = 80.0 / steps, sum = 0;
        for (int i = 0; i <= steps; i++) {
            double z = -40 + i * h;
            double sp = Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
            sum += (i == 0 || i == steps ? 0.5 : 1) * sp * sp * Math.exp(-0.5 * z * z);
        }
        double softplus = sum * h / Math.sqrt(2 * PI);
        // The same integral to 30 digits by adaptive quadrature: 0.921245908859300278677...
        assertEquals(0.9212459088593003, softplus, 1e-13);
        assertEquals(softplus, Activation.SOFTPLUS.secondMoment(), 1e-11);
        assertEquals(0.5, Activation.RELU.secondMoment(), 1e-12);
        ModelSpec fc = new ModelSpec(Arch.FC, 3, Trained.HIDDEN, Activation.SOFTPLUS, Double.NaN, 0.5);
        assertEquals(1 / softplus, fc.effectiveCSigma(), 1e-10);
        ModelSpec relu = new ModelSpec(Arch.FC, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
        assertEquals(2, relu.effectiveCSigma(), 1e-11);
    }
}
