package org.widthlaw.lib.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;

/**
 * The fused step of the hot case ({@link FusedStep}) against the BLAS path and against a plain
 * loop written from the definition; its Vector API kernels against its scalar ones, bit for bit.
 */
class FusedStepTest {
    static final ModelSpec TWO_LAYER =
            new ModelSpec(Arch.TWO_LAYER, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
    static final ModelSpec FC2 = new ModelSpec(Arch.FC, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(TWO_LAYER, 1, 1, new int[] {1}),
                Arguments.of(TWO_LAYER, 5, 3, new int[] {7}),
                Arguments.of(TWO_LAYER, 63, 10, new int[] {100}),
                Arguments.of(TWO_LAYER, 64, 10, new int[] {16}),
                Arguments.of(TWO_LAYER, 130, 10, new int[] {17, 1, 40}),
                Arguments.of(TWO_LAYER, 77, 5, new int[] {8, 9}),
                Arguments.of(TWO_LAYER, 200, 128, new int[] {33}),
                Arguments.of(FC2, 150, 13, new int[] {24, 31}));
    }

    static Network network(ModelSpec spec, int n, int d, int[] widths) {
        Dataset data = Datasets.build(DataSpec.sphere(d, Labels.RANDOM, 1), n, 3);
        Network net = new Network(spec, data, widths, Blas.get());
        for (int j = 0; j < widths.length; j++) net.initialise(j, 11 + j);
        return net;
    }

    @ParameterizedTest(name = "{0} n={1} d={2}")
    @MethodSource("shapes")
    void lossAndGradientAgreeWithTheBlasPathAndTheDefinition(ModelSpec spec, int n, int d, int[] widths) {
        Network net = network(spec, n, d, widths);
        assertTrue(FusedStep.applies(net.layout(), true));
        int b = widths.length;
        double[] g = new double[net.size()], gBlas = new double[net.size()];
        double[] ss = new double[b], ssBlas = new double[b];
        net.lossAndGradient(g, ss);
        net.lossAndGradientBlas(gBlas, ssBlas);
        Layout lay = net.layout();
        double[] x = net.data().x(), y = net.data().y(), th = net.theta();
        for (int j = 0; j < b; j++) {
            int m = widths[j], w0 = lay.wOff[0][j], a0 = lay.aOff[j];
            double s = lay.scale[0][j];
            // the definition: f_i = sum_c a_c s relu(w_c . x_i); dW_c = sum_i r_i a_c s [w_c . x_i > 0] x_i
            double loss = 0;
            double[] def = new double[m * d];
            for (int i = 0; i < n; i++) {
                double[] z = new double[m];
                double f = 0;
                for (int c = 0; c < m; c++) {
                    for (int kk = 0; kk < d; kk++) z[c] += th[w0 + c * d + kk] * x[i * d + kk];
                    f += th[a0 + c] * s * Math.max(z[c], 0);
                }
                double r = f - y[i];
                loss += r * r;
                for (int c = 0; c < m; c++) {
                    if (z[c] > 0) for (int kk = 0; kk < d; kk++) def[c * d + kk] += r * th[a0 + c] * s * x[i * d + kk];
                }
            }
            assertEquals(loss, ss[j], 1e-12 * loss, "loss of probe " + j);
            assertEquals(ssBlas[j], ss[j], 1e-12 * loss, "loss of probe " + j + " (BLAS path)");
            double scale = 0;
            for (double v : def) scale = Math.max(scale, Math.abs(v));
            for (int e = 0; e < m * d; e++) {
                assertEquals(def[e], g[w0 + e], 1e-11 * scale, "dW entry " + e + " of probe " + j);
                assertEquals(gBlas[w0 + e], g[w0 + e], 1e-11 * scale, "dW entry " + e + " of probe " + j + " (BLAS)");
            }
        }
    }

    @ParameterizedTest(name = "{0} n={1} d={2}")
    @MethodSource("shapes")
    void float32AgreesWithItsBlasPathAndWithFloat64(ModelSpec spec, int n, int d, int[] widths) {
        Network net = network(spec, n, d, widths);
        double[] g = new double[net.size()], ss64 = new double[widths.length];
        net.lossAndGradient(g, ss64);
        FloatNetwork f = new FloatNetwork(net), fb = new FloatNetwork(net);
        double[] ss = new double[widths.length], ssb = new double[widths.length];
        f.lossAndGradient(ss);
        fb.lossAndGradientBlas(ssb);
        double scale = 0;
        for (double v : g) scale = Math.max(scale, Math.abs(v));
        for (int j = 0; j < widths.length; j++) {
            assertEquals(ss64[j], ss[j], 1e-4 * ss64[j]);
            assertEquals(ssb[j], ss[j], 1e-4 * ss64[j]);
        }
        for (int e = 0; e < g.length; e++) {
            assertEquals(g[e], f.gradient()[e], 1e-4 * scale, "entry " + e);
            assertEquals(fb.gradient()[e], f.gradient()[e], 1e-4 * scale, "entry " + e + " (BLAS)");
        }
    }

    @Test
    void aBatchGivesEachProbeTheBitsItGetsAlone() {
        int[] widths = {17, 1, 40, 64};
        Network batch = network(TWO_LAYER, 130, 10, widths);
        double[] g = new double[batch.size()], ss = new double[widths.length];
        batch.lossAndGradient(g, ss);
        for (int j = 0; j < widths.length; j++) {
            Network alone = network(TWO_LAYER, 130, 10, new int[] {widths[j]});
            alone.copyProbe(0, batch, j);
            double[] ga = new double[alone.size()], sa = new double[1];
            alone.lossAndGradient(ga, sa);
            assertEquals(Double.doubleToLongBits(sa[0]), Double.doubleToLongBits(ss[j]));
            int from = batch.segmentsFrom(j)[0], len = batch.segmentsTo(j)[0] - from;
            double[] part = new double[len];
            System.arraycopy(g, from, part, 0, len);
            double[] own = new double[len];
            System.arraycopy(ga, alone.segmentsFrom(0)[0], own, 0, len);
            assertArrayEquals(own, part);
        }
    }

    @Test
    void onlyTheHotCaseIsFused() {
        Layout hot = new Layout(TWO_LAYER, 10, 1, new int[] {5});
        assertTrue(FusedStep.applies(hot, true));
        assertFalse(FusedStep.applies(hot, false));
        assertFalse(FusedStep.applies(new Layout(TWO_LAYER, 10, 3, new int[] {5}), true));
        assertFalse(FusedStep.applies(new Layout(TWO_LAYER, FusedStep.MAX_D + 1, 1, new int[] {5}), true));
        assertTrue(FusedStep.applies(new Layout(TWO_LAYER, FusedStep.MAX_D, 1, new int[] {5}), true));
        ModelSpec all = new ModelSpec(Arch.TWO_LAYER, 2, Trained.ALL, Activation.RELU, Double.NaN, 0.5);
        assertFalse(FusedStep.applies(new Layout(all, 10, 1, new int[] {5}), true));
        ModelSpec deep = new ModelSpec(Arch.FC, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
        assertFalse(FusedStep.applies(new Layout(deep, 10, 1, new int[] {5}), true));
    }

    @Test
    void vectorAndScalarKernelsGiveTheSameBits() {
        assumeTrue(Kernels.VECTOR, "jdk.incubator.vector is not in the boot layer");
        SplittableRandom rng = new SplittableRandom(5);
        for (int rows : new int[] {1, 3, 4, 5, 64}) {
            for (int d : new int[] {1, 3, 4, 10, 13}) {
                for (int mp : new int[] {8, 16, 24, 112}) {
                    double[] x = gauss(rng, rows * d + 7), wt = gauss(rng, d * mp + 5), as = gauss(rng, mp + 3);
                    double[] zv = new double[rows * mp], zs = new double[rows * mp];
                    double[] fv = new double[rows], fs = new double[rows];
                    VectorKernels.fusedForward(x, 7, rows, d, wt, 5, mp, as, 3, zv, fv);
                    Kernels.fusedForwardScalar(x, 7, rows, d, wt, 5, mp, as, 3, zs, fs);
                    assertArrayEquals(zs, zv);
                    assertArrayEquals(fs, fv);
                    VectorKernels.fusedResidual(zv, rows, mp, fv, as, 3);
                    Kernels.fusedResidualScalar(zs, rows, mp, fs, as, 3);
                    assertArrayEquals(zs, zv);
                    for (boolean first : new boolean[] {true, false}) {
                        double[] dv = gauss(rng, d * mp + 2), ds = dv.clone();
                        VectorKernels.fusedBackward(x, 7, rows, d, zv, mp, dv, 2, first);
                        Kernels.fusedBackwardScalar(x, 7, rows, d, zs, mp, ds, 2, first);
                        assertArrayEquals(ds, dv);
                    }
                    if (mp % FusedStep.PAD32 != 0) continue; // float32 widths are padded to 16
                    float[] xf = toFloat(x), wf = toFloat(wt), af = toFloat(as);
                    float[] zfv = new float[rows * mp], zfs = new float[rows * mp];
                    float[] ffv = new float[rows], ffs = new float[rows];
                    VectorKernels.fusedForward(xf, 7, rows, d, wf, 5, mp, af, 3, zfv, ffv);
                    Kernels.fusedForwardScalar(xf, 7, rows, d, wf, 5, mp, af, 3, zfs, ffs);
                    assertArrayEquals(zfs, zfv);
                    assertArrayEquals(ffs, ffv);
                    VectorKernels.fusedResidual(zfv, rows, mp, ffv, af, 3);
                    Kernels.fusedResidualScalar(zfs, rows, mp, ffs, af, 3);
                    assertArrayEquals(zfs, zfv);
                    float[] dfv = toFloat(gauss(rng, d * mp + 2)), dfs = dfv.clone();
                    VectorKernels.fusedBackward(xf, 7, rows, d, zfv, mp, dfv, 2, false);
                    Kernels.fusedBackwardScalar(xf, 7, rows, d, zfs, mp, dfs, 2, false);
                    assertArrayEquals(dfs, dfv);
                }
            }
        }
    }

    private static double[] gauss(SplittableRandom rng, int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = rng.nextDouble(-1, 1);
        return v;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }
}
