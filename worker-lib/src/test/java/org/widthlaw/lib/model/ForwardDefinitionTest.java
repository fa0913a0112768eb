package org.widthlaw.lib.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.widthlaw.lib.Gaussian;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;

/**
 * The forward definitions of docs/METHOD.md section 3, pinned by a second implementation written
 * from the text alone: the initial parameters drawn in the stated order (W_1, ..., W_{L-1} row by
 * row, then the signs of a), the layer scales sqrt(c_sigma/m) and c_res/(L sqrt m), the skips, the
 * default c_sigma = 1/E[sigma(z)^2] (1 for two-layer), and the moments of the initial distribution.
 */
class ForwardDefinitionTest {
    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(new ModelSpec(Arch.TWO_LAYER, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5), 1),
                Arguments.of(new ModelSpec(Arch.TWO_LAYER, 2, Trained.HIDDEN, Activation.RELU, 2.0, 0.5), 2),
                Arguments.of(new ModelSpec(Arch.FC, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5), 1),
                Arguments.of(new ModelSpec(Arch.FC, 4, Trained.ALL, Activation.SOFTPLUS, Double.NaN, 0.5), 3),
                Arguments.of(new ModelSpec(Arch.RESNET, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5), 1),
                Arguments.of(new ModelSpec(Arch.RESNET, 4, Trained.OUTPUT, Activation.SOFTPLUS, 1.5, 0.3), 2));
    }

    /** E[sigma(z)^2] for z ~ N(0, 1) by the trapezoid rule on [-40, 40]. */
    static double secondMoment(Activation a) {
        double h = 1.0 / 256, s = 0;
        for (double z = -40; z <= 40; z += h) {
            double v = a == Activation.RELU ? Math.max(z, 0) : Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
            s += v * v * Math.exp(-z * z / 2);
        }
        return s * h / Math.sqrt(2 * Math.PI);
    }

    static double sigma(Activation a, double z) {
        return a == Activation.RELU ? Math.max(z, 0) : Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0);
    }

    @ParameterizedTest
    @MethodSource("models")
    void theForwardPassIsTheStatedOne(ModelSpec spec, int k) {
        int n = 7, d = 5, m = 13, layers = spec.depth() - 1;
        long seed = 4242;
        Dataset data = Datasets.build(DataSpec.sphere(d, Labels.RANDOM, k), n, 3);
        Network net = new Network(spec, data, m, Blas.get());
        net.initialise(seed);

        // The parameters, drawn in the stated order from the init stream.
        Gaussian g = new Gaussian(seed);
        double[][][] w = new double[layers][][];
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? d : m;
            w[l] = new double[m][in];
            for (int r = 0; r < m; r++) for (int c = 0; c < in; c++) w[l][r][c] = g.next();
        }
        double[][] a = new double[m][k];
        for (int r = 0; r < m; r++) for (int c = 0; c < k; c++) a[r][c] = g.nextSign();
        double[] theta = net.theta();
        int o = 0;
        for (int l = 0; l < layers; l++) {
            for (double[] row : w[l]) for (double v : row) assertEquals(v, theta[o++], 0.0, "W order");
        }
        for (double[] row : a) for (double v : row) assertEquals(v, theta[o++], 0.0, "a order");
        assertEquals(theta.length, o);

        // The stated scales.
        double cSigma = !Double.isNaN(spec.cSigma())
                ? spec.cSigma()
                : spec.arch() == Arch.TWO_LAYER ? 1.0 : 1.0 / secondMoment(spec.activation());
        assertEquals(cSigma, spec.effectiveCSigma(), 1e-9 * cSigma);
        double[] f = new double[n * k];
        net.predict(f);
        double[] x = data.x();
        for (int i = 0; i < n; i++) {
            double[] h = new double[d];
            System.arraycopy(x, i * d, h, 0, d);
            for (int l = 0; l < layers; l++) {
                boolean residual = spec.arch() == Arch.RESNET && l >= 1;
                double s = residual ? spec.cRes() / (spec.depth() * Math.sqrt(m)) : Math.sqrt(cSigma / m);
                double[] next = new double[m];
                for (int r = 0; r < m; r++) {
                    double z = 0;
                    for (int c = 0; c < h.length; c++) z += w[l][r][c] * h[c];
                    next[r] = (residual ? h[r] : 0) + s * sigma(spec.activation(), z);
                }
                h = next;
            }
            for (int c = 0; c < k; c++) {
                double want = 0;
                for (int r = 0; r < m; r++) want += a[r][c] * h[r];
                assertEquals(want, f[i * k + c], 1e-12 * Math.max(1, Math.abs(want)), spec + " sample " + i);
            }
        }
    }

    @Test
    void theInitialDistributionHasTheStatedMoments() {
        // W ~ N(0, 1) entrywise: mean 0, variance 1, fourth moment 3; a = +-1 with probability 1/2.
        int m = 4000, d = 10;
        Network net = new Network(
                new ModelSpec(Arch.FC, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5),
                Datasets.build(DataSpec.sphere(d, Labels.RANDOM, 1), 2, 1),
                m,
                Blas.get());
        net.initialise(77);
        double[] t = net.theta();
        int nw = m * d + m * m;
        double s1 = 0, s2 = 0, s4 = 0;
        for (int i = 0; i < nw; i++) {
            s1 += t[i];
            s2 += t[i] * t[i];
            s4 += t[i] * t[i] * t[i] * t[i];
        }
        double mean = s1 / nw, var = s2 / nw - mean * mean, m4 = s4 / nw;
        // Four standard errors of each sample moment of N(0, 1) with this many draws.
        assertEquals(0, mean, 4 / Math.sqrt(nw));
        assertEquals(1, var, 4 * Math.sqrt(2.0 / nw));
        assertEquals(3, m4, 4 * Math.sqrt(96.0 / nw));
        double sa = 0;
        for (int i = nw; i < t.length; i++) {
            assertEquals(1, Math.abs(t[i]), 0.0, "a is a sign");
            sa += t[i];
        }
        assertEquals(m, t.length - nw);
        assertTrue(Math.abs(sa / m) < 4 / Math.sqrt(m), "signs balanced: " + sa / m);
    }
}
