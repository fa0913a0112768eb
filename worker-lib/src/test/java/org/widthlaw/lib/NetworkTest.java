package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.widthlaw.lib.model.StepChecks.trained;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Network;
import org.widthlaw.lib.model.StepChecks;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.train.PowerIteration;

class NetworkTest {
    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (Trained trained : Trained.values()) {
            for (Activation act : Activation.values()) {
                out.add(Arguments.of(new ModelSpec(Arch.TWO_LAYER, 2, trained, act, Double.NaN, 0.5), 1));
                out.add(Arguments.of(new ModelSpec(Arch.FC, 3, trained, act, Double.NaN, 0.5), 2));
                out.add(Arguments.of(new ModelSpec(Arch.RESNET, 4, trained, act, Double.NaN, 0.5), 2));
            }
        }
        return out.stream();
    }

    static Network tiny(ModelSpec spec, int k, int n, int width) {
        Dataset data = Datasets.build(DataSpec.sphere(3, Labels.RANDOM, k), n, 7);
        Network net = new Network(spec, data, width, Blas.get());
        net.initialise(11);
        net.forward();
        return net;
    }

    static double loss(Network net) {
        net.forward();
        double[] f = net.outputs(), y = net.data().y();
        double s = 0;
        for (int i = 0; i < f.length; i++) s += 0.5 * (f[i] - y[i]) * (f[i] - y[i]);
        return s;
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void gradientMatchesCentralDifferences(ModelSpec spec, int k) {
        Network net = tiny(spec, k, 5, 4);
        double[] f = net.outputs(), y = net.data().y();
        double[] r = new double[f.length];
        for (int i = 0; i < r.length; i++) r[i] = f[i] - y[i];
        double[] grad = new double[net.size()];
        net.vjp(r, grad);
        double[] theta = net.theta();
        double h = 1e-6;
        for (int i : trained(net, 0)) {
            double keep = theta[i];
            theta[i] = keep + h;
            double up = loss(net);
            theta[i] = keep - h;
            double down = loss(net);
            theta[i] = keep;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, grad[i], 1e-6 * Math.max(1, Math.abs(fd)), "parameter " + i + " of " + spec);
        }
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void powerIterationMatchesExplicitNtkEigenvalue(ModelSpec spec, int k) {
        Network net = tiny(spec, k, 6, 5);
        int nk = net.outputs().length;
        int[] idx = trained(net, 0);
        // Explicit Jacobian, one column per trained parameter, from unit directions.
        double[][] jac = new double[nk][idx.length];
        double[] e = new double[net.size()];
        double[] col = new double[nk];
        for (int p = 0; p < idx.length; p++) {
            e[idx[p]] = 1;
            net.jvp(e, col);
            e[idx[p]] = 0;
            for (int i = 0; i < nk; i++) jac[i][p] = col[i];
        }
        double[][] gram = new double[nk][nk];
        for (int i = 0; i < nk; i++) {
            for (int j = 0; j < nk; j++) {
                double s = 0;
                for (int p = 0; p < idx.length; p++) s += jac[i][p] * jac[j][p];
                gram[i][j] = s;
            }
        }
        double[] fast = net.ntkGram();
        for (int i = 0; i < nk; i++) {
            for (int j = 0; j < nk; j++) {
                assertEquals(
                        gram[i][j],
                        fast[i * nk + j],
                        1e-10 * Math.max(1, Math.abs(gram[i][j])),
                        "H(0) entry " + i + "," + j);
            }
        }
        double[] eig = new EigenDecomposition(new Array2DRowRealMatrix(gram)).getRealEigenvalues();
        double[] lapack = org.widthlaw.lib.theory.Eigen.symmetric(fast, nk);
        assertEquals(java.util.Arrays.stream(eig).min().orElseThrow(), lapack[0], 1e-9 * Math.abs(lapack[nk - 1]));
        double max = Double.NEGATIVE_INFINITY;
        for (double v : eig) max = Math.max(max, v);
        double est = PowerIteration.lambdaMax(net, 3);
        assertTrue(max > 0);
        assertEquals(max, est, 1e-3 * max, "lambda_max of " + spec);
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void vjpIsTheAdjointOfJvp(ModelSpec spec, int k) {
        Network net = tiny(spec, k, 4, 3);
        Gaussian g = new Gaussian(5);
        double[] u = new double[net.size()];
        for (int i : trained(net, 0)) u[i] = g.next();
        double[] v = new double[net.outputs().length];
        g.fill(v);
        double[] ju = new double[v.length];
        double[] jtv = new double[net.size()];
        net.jvp(u, ju);
        net.vjp(v, jtv);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < v.length; i++) lhs += v[i] * ju[i];
        for (int i : trained(net, 0)) rhs += u[i] * jtv[i];
        assertEquals(lhs, rhs, 1e-10 * Math.max(1, Math.abs(lhs)));
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void theFusedChunkedStepEqualsTheFullBatchGradient(ModelSpec spec, int k) {
        // 300 rows: three blocks of the fused step.
        Network net = tiny(spec, k, 300, 6);
        double[] f = net.outputs(), y = net.data().y();
        double[] r = new double[f.length];
        double ss = 0;
        for (int i = 0; i < r.length; i++) {
            r[i] = f[i] - y[i];
            ss += r[i] * r[i];
        }
        double[] full = new double[net.size()];
        net.vjp(r, full);
        double[] fused = new double[net.size()];
        double[] sum = new double[1];
        net.lossAndGradient(fused, sum);
        assertEquals(ss, sum[0], 1e-12 * ss);
        for (int i : trained(net, 0))
            assertEquals(full[i], fused[i], 1e-12 * Math.max(1, Math.abs(full[i])), "parameter " + i);
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void aBatchComputesWhatItsProbesComputeAlone(ModelSpec spec, int k) {
        Dataset data = Datasets.build(DataSpec.sphere(3, Labels.RANDOM, k), 150, 7);
        int[] widths = {2, 5, 3};
        Network batch = new Network(spec, data, widths, Blas.get());
        for (int j = 0; j < widths.length; j++) batch.initialise(j, 100 + j);
        double[] bg = new double[batch.size()];
        double[] bs = new double[widths.length];
        batch.lossAndGradient(bg, bs);
        for (int j = 0; j < widths.length; j++) {
            Network one = new Network(spec, data, widths[j], Blas.get());
            one.initialise(100 + j);
            double[] g1 = new double[one.size()];
            double[] s1 = new double[1];
            one.lossAndGradient(g1, s1);
            assertEquals(s1[0], bs[j], 1e-12 * s1[0]);
            int[] a = trained(one, 0), b = trained(batch, j);
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(
                        g1[a[i]], bg[b[i]], 1e-12 * Math.max(1, Math.abs(g1[a[i]])), "probe " + j + " parameter " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void theFloat32StepMatchesTheFloat64StepToSinglePrecision(ModelSpec spec, int k) {
        Dataset data = Datasets.build(DataSpec.sphere(3, Labels.RANDOM, k), 200, 7);
        Network net = new Network(spec, data, new int[] {4, 7}, Blas.get());
        net.initialise(0, 11);
        net.initialise(1, 12);
        StepChecks.assertFloat32MatchesFloat64(net);
    }
}
