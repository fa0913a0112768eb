package org.widthlaw.lib.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.widthlaw.lib.model.StepChecks.trained;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.Gaussian;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.train.PowerIteration;

/**
 * The cnn family (docs/METHOD.md section 3) against computations of its own: the definition in
 * plain loops, central differences, the explicit Jacobian, and the fc network that a cnn with q = d
 * is.
 */
class CnnTest {
    static final int D = 5;

    static ModelSpec cnn(int depth, Trained trained, Activation act, int q) {
        return new ModelSpec(Arch.CNN, depth, trained, act, Double.NaN, 0.5, q);
    }

    /** A 2-D cnn with q x q filters (on a 3 x 3 grid: d = 9 in these tests). */
    static ModelSpec cnn2d(int depth, Trained trained, Activation act, int q) {
        return new ModelSpec(Arch.CNN, depth, trained, act, Double.NaN, 0.5, q, true);
    }

    /** The input dimension of a test's data: D, or a 3 x 3 grid for a 2-D kernel. */
    static int dFor(ModelSpec spec) {
        return spec.kernel2d() ? 9 : D;
    }

    /**
     * Trained hidden | output | all, relu and softplus, L = 2 and 3, k = 1 and 2: 1-D filters of 3
     * over D = 5 positions, and 2 x 2 filters over a 3 x 3 grid.
     */
    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (Trained trained : Trained.values()) {
            for (Activation act : Activation.values()) {
                for (int depth : new int[] {2, 3}) {
                    for (int k : new int[] {1, 2}) {
                        out.add(Arguments.of(cnn(depth, trained, act, 3), k));
                        out.add(Arguments.of(cnn2d(depth, trained, act, 2), k));
                    }
                }
            }
        }
        return out.stream();
    }

    static Dataset data(int n, int d, int k) {
        return Datasets.build(DataSpec.sphere(d, Labels.RANDOM, k), n, 7);
    }

    static Network tiny(ModelSpec spec, int k, int n, int width) {
        Network net = new Network(spec, data(n, dFor(spec), k), width, Blas.get());
        net.initialise(11);
        net.forward();
        return net;
    }

    /**
     * Probe j's f(X) (n x k) straight from the definition, in loops: h_l[c, t] = sqrt(c_sigma / (m q))
     * sigma(sum_{c', u} W_l[c, c', u] h_{l-1}[c', t + u mod p]), f_o = sum_{c, t} a[c, t, o] h_{L-1}[c, t],
     * reading W_1[c, u] at c q + u, W_l[c, c', u] at (c q + u) m + c' and a[c, t, o] at (t m + c) k + o.
     * For a 2-D kernel, q x q: position t = (r, c) of the side x side grid, tap u = (a, b) reads
     * ((r + a) mod side, (c + b) mod side), and q above is the q^2 taps.
     * When {@code norms} is given, norms[l][i] = ||h_l(x_i)||^2 (l = 1..L-1).
     */
    static double[] definition(Network net, int j, double[][] norms) {
        Layout lay = net.layout();
        ModelSpec spec = net.spec();
        Dataset data = net.data();
        int n = data.n(), d = data.d(), k = data.k(), m = lay.widths[j], p = d;
        int q = spec.kernel2d() ? spec.kernel() * spec.kernel() : spec.kernel();
        double scale = Math.sqrt(spec.effectiveCSigma() / ((double) m * q));
        double[] theta = net.theta();
        double[] f = new double[n * k];
        for (int i = 0; i < n; i++) {
            double[][] prev = new double[1][p];
            for (int t = 0; t < p; t++) prev[0][t] = data.x()[i * d + t];
            for (int l = 0; l < spec.depth() - 1; l++) {
                int in = prev.length, w = lay.wOff[l][j];
                double[][] next = new double[m][p];
                double norm = 0;
                for (int c = 0; c < m; c++) {
                    for (int t = 0; t < p; t++) {
                        double s = 0;
                        for (int c2 = 0; c2 < in; c2++) {
                            for (int u = 0; u < q; u++) {
                                double weight = theta[w + (c * q + u) * in + c2];
                                s += weight * prev[c2][source(spec, p, t, u)];
                            }
                        }
                        next[c][t] = scale * spec.activation().value(s);
                        norm += next[c][t] * next[c][t];
                    }
                }
                if (norms != null) norms[l + 1][i] = norm;
                prev = next;
            }
            for (int o = 0; o < k; o++) {
                double s = 0;
                for (int c = 0; c < m; c++) {
                    for (int t = 0; t < p; t++) s += theta[lay.aOff[j] + (t * m + c) * k + o] * prev[c][t];
                }
                f[i * k + o] = s;
            }
        }
        return f;
    }

    /** The position tap u of position t reads, from the definition. */
    static int source(ModelSpec spec, int p, int t, int u) {
        if (!spec.kernel2d()) return (t + u) % p;
        int side = (int) Math.round(Math.sqrt(p)), q = spec.kernel();
        int r = t / side, c = t % side, a = u / q, b = u % q;
        return ((r + a) % side) * side + (c + b) % side;
    }

    static double loss(Network net) {
        double[] f = definition(net, 0, null), y = net.data().y();
        double s = 0;
        for (int i = 0; i < f.length; i++) s += 0.5 * (f[i] - y[i]) * (f[i] - y[i]);
        return s;
    }

    @ParameterizedTest(name = "L={0} q={1}")
    @MethodSource("shapes")
    void theForwardPassIsTheDefinition(int depth, int q) {
        for (Activation act : Activation.values()) {
            for (int k : new int[] {1, 3}) {
                Network net = tiny(cnn(depth, Trained.ALL, act, q), k, 6, 4);
                double[] want = definition(net, 0, null), got = net.outputs();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-12 * Math.max(1, Math.abs(want[i])), act + " k=" + k + " " + i);
                }
                double[] pred = new double[want.length];
                net.predict(pred);
                for (int i = 0; i < want.length; i++) assertEquals(got[i], pred[i], 0.0, "predict");
            }
        }
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(2, 1),
                Arguments.of(2, 3),
                Arguments.of(2, D),
                Arguments.of(3, 2),
                Arguments.of(3, D),
                Arguments.of(4, 3));
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void theGradientMatchesCentralDifferences(ModelSpec spec, int k) {
        Network net = tiny(spec, k, 4, 3);
        double[] grad = new double[net.size()];
        double[] sumSq = new double[1];
        net.lossAndGradient(grad, sumSq);
        assertEquals(2 * loss(net), sumSq[0], 1e-12 * sumSq[0]);
        double[] theta = net.theta();
        double h = 1e-6;
        int[] idx = trained(net, 0);
        assertEquals(spec.params(3, dFor(spec), k), idx.length);
        for (int i : idx) {
            double keep = theta[i];
            theta[i] = keep + h;
            double up = loss(net);
            theta[i] = keep - h;
            double down = loss(net);
            theta[i] = keep;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, grad[i], 1e-6 * Math.max(1, Math.abs(fd)), "parameter " + i + " of " + spec);
        }
        // The full-batch J^T (f - y) is the same gradient.
        net.forward();
        double[] f = net.outputs(), y = net.data().y();
        double[] r = new double[f.length];
        for (int i = 0; i < r.length; i++) r[i] = f[i] - y[i];
        double[] vjp = new double[net.size()];
        net.vjp(r, vjp);
        for (int i : idx) assertEquals(grad[i], vjp[i], 1e-12 * Math.max(1, Math.abs(grad[i])), "vjp " + i);
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void theNtkGramIsTheExplicitJacobiansAndPowerIterationFindsItsTop(ModelSpec spec, int k) {
        Network net = tiny(spec, k, 6, 3);
        int nk = net.outputs().length;
        int[] idx = trained(net, 0);
        // Explicit Jacobian, one column per trained parameter: J e_p by jvp, checked against central
        // differences of the definition.
        double[][] jac = new double[nk][idx.length];
        double[] e = new double[net.size()];
        double[] col = new double[nk];
        double[] theta = net.theta();
        for (int p = 0; p < idx.length; p++) {
            e[idx[p]] = 1;
            net.jvp(e, col);
            e[idx[p]] = 0;
            double keep = theta[idx[p]];
            theta[idx[p]] = keep + 1e-6;
            double[] up = definition(net, 0, null);
            theta[idx[p]] = keep - 1e-6;
            double[] down = definition(net, 0, null);
            theta[idx[p]] = keep;
            for (int i = 0; i < nk; i++) {
                jac[i][p] = col[i];
                double fd = (up[i] - down[i]) / 2e-6;
                assertEquals(fd, col[i], 1e-6 * Math.max(1, Math.abs(fd)), "dF_" + i + "/dtheta_" + idx[p]);
            }
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
                assertEquals(gram[i][j], fast[i * nk + j], 1e-10 * Math.max(1, Math.abs(gram[i][j])), i + "," + j);
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : new EigenDecomposition(new Array2DRowRealMatrix(gram)).getRealEigenvalues())
            max = Math.max(max, v);
        assertTrue(max > 0);
        // The stopping rule (relative change < 1e-4 per iteration) is loose when the top two
        // eigenvalues are close: within 1%, and from below (a Rayleigh quotient).
        double est = PowerIteration.lambdaMax(net, 3);
        assertEquals(max, est, 1e-2 * max, "lambda_max of " + spec);
        assertTrue(est <= max * (1 + 1e-12), est + " > " + max);
        // vjp is jvp's adjoint.
        Gaussian g = new Gaussian(5);
        double[] u = new double[net.size()], v = new double[nk], ju = new double[nk], jtv = new double[net.size()];
        for (int i : idx) u[i] = g.next();
        g.fill(v);
        net.jvp(u, ju);
        net.vjp(v, jtv);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < nk; i++) lhs += v[i] * ju[i];
        for (int i : idx) rhs += u[i] * jtv[i];
        assertEquals(lhs, rhs, 1e-10 * Math.max(1, Math.abs(lhs)));
    }

    /**
     * With q = d = p, a cnn of m channels is the fc network of width M = m p whose unit (t, c)
     * (column t m + c) has the input weights of channel c rotated by t: W_1^fc[(t, c), i] = W_1[c, i - t
     * mod p], W_l^fc[(t, c), (t', c')] = W_l[c, c', t' - t mod p], a^fc = a (the same (t m + c) k + o
     * order), and the same scale sqrt(c_sigma / (m q)) = sqrt(c_sigma / M). Verified here: equal f(X),
     * and the cnn gradient equal to the fc gradient summed over the tied entries, for L = 2, 3, 4,
     * relu and softplus, k = 1 and 2. (At p = 1 the rotation is the identity and the two are the
     * same network with the same parameter vector.)
     */
    @ParameterizedTest(name = "L={0}")
    @MethodSource("depths")
    void aCnnWithTheWholeInputAsFilterIsAnFcNetworkWithTiedWeights(int depth) {
        for (Activation act : Activation.values()) {
            for (int k : new int[] {1, 2}) {
                int m = 3, p = D;
                Dataset data = data(7, D, k);
                Network conv = new Network(cnn(depth, Trained.ALL, act, D), data, m, Blas.get());
                conv.initialise(5);
                Network fc = new Network(
                        new ModelSpec(Arch.FC, depth, Trained.ALL, act, Double.NaN, 0.5), data, m * p, Blas.get());
                Layout cl = conv.layout(), fl = fc.layout();
                double[] ct = conv.theta(), ft = fc.theta();
                int big = m * p;
                for (int t = 0; t < p; t++) {
                    for (int c = 0; c < m; c++) {
                        int unit = t * m + c;
                        for (int i = 0; i < D; i++)
                            ft[fl.wOff[0][0] + unit * D + i] = ct[cl.wOff[0][0] + c * D + (i - t + p) % p];
                        for (int l = 1; l < depth - 1; l++) {
                            for (int t2 = 0; t2 < p; t2++) {
                                for (int c2 = 0; c2 < m; c2++) {
                                    int u = (t2 - t + p) % p;
                                    ft[fl.wOff[l][0] + unit * big + t2 * m + c2] =
                                            ct[cl.wOff[l][0] + (c * D + u) * m + c2];
                                }
                            }
                        }
                    }
                }
                System.arraycopy(ct, cl.aOff[0], ft, fl.aOff[0], big * k);
                assertEquals(fl.scale[0][0], cl.scale[0][0], 1e-15);
                conv.forward();
                fc.forward();
                double[] a = conv.outputs(), b = fc.outputs();
                for (int i = 0; i < a.length; i++)
                    assertEquals(b[i], a[i], 1e-12 * Math.max(1, Math.abs(b[i])), "f " + i);

                double[] cg = new double[conv.size()], fg = new double[fc.size()];
                conv.lossAndGradient(cg, new double[1]);
                fc.lossAndGradient(fg, new double[1]);
                double[] tied = new double[conv.size()];
                for (int t = 0; t < p; t++) {
                    for (int c = 0; c < m; c++) {
                        int unit = t * m + c;
                        for (int i = 0; i < D; i++)
                            tied[cl.wOff[0][0] + c * D + (i - t + p) % p] += fg[fl.wOff[0][0] + unit * D + i];
                        for (int l = 1; l < depth - 1; l++) {
                            for (int t2 = 0; t2 < p; t2++) {
                                for (int c2 = 0; c2 < m; c2++) {
                                    int u = (t2 - t + p) % p;
                                    tied[cl.wOff[l][0] + (c * D + u) * m + c2] +=
                                            fg[fl.wOff[l][0] + unit * big + t2 * m + c2];
                                }
                            }
                        }
                    }
                }
                System.arraycopy(fg, fl.aOff[0], tied, cl.aOff[0], big * k);
                for (int i = 0; i < tied.length; i++) {
                    assertEquals(
                            tied[i], cg[i], 1e-10 * Math.max(1, Math.abs(tied[i])), act + " k=" + k + " grad " + i);
                }
            }
        }
    }

    static Stream<Integer> depths() {
        return Stream.of(2, 3, 4);
    }

    @Test
    void reluLayersKeepTheNormOfTheInputOnAverage() {
        // sqrt(c_sigma / (m q)) in every layer, the first included: E ||h_l||^2 = ||x||^2 = 1 for ReLU
        // (the first layer's fan-in q alone would give m). Over 10 initialisations of 128 channels the
        // mean's standard deviation is about 0.03.
        int n = 10, m = 128, depth = 3, seeds = 10;
        Network net = new Network(cnn(depth, Trained.HIDDEN, Activation.RELU, 3), data(n, 16, 1), m, Blas.get());
        double[] mean = new double[depth];
        for (int seed = 0; seed < seeds; seed++) {
            net.initialise(seed);
            double[][] norms = new double[depth][n];
            definition(net, 0, norms);
            for (int l = 1; l < depth; l++) {
                mean[l] += java.util.Arrays.stream(norms[l]).average().orElseThrow() / seeds;
            }
        }
        for (int l = 1; l < depth; l++) assertEquals(1.0, mean[l], 0.1, "mean ||h_" + l + "||^2");
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void aBatchComputesWhatItsProbesComputeAloneInBlocks(ModelSpec spec, int k) {
        // 1700 samples of 5 positions: three blocks of the step.
        int d = dFor(spec), block = ConvNetwork.blockSamples(1700, d);
        Dataset data = data(1700, d, k);
        assertTrue((1700 + block - 1) / block >= 3, "several blocks");
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
            assertEquals(s1[0], bs[j], 0.0);
            int[] a = trained(one, 0), b = trained(batch, j);
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) assertEquals(g1[a[i]], bg[b[i]], 0.0, "probe " + j + " parameter " + i);
            // The blocked step is the full-batch gradient.
            one.forward();
            double[] f = one.outputs(), y = data.y();
            double[] r = new double[f.length];
            for (int i = 0; i < r.length; i++) r[i] = f[i] - y[i];
            double[] full = new double[one.size()];
            one.vjp(r, full);
            for (int i : a) assertEquals(full[i], g1[i], 1e-10 * Math.max(1, Math.abs(full[i])), "full " + i);
        }
    }

    @Test
    void aStepAllocatesNothingAfterTheFirst() {
        Network net =
                new Network(cnn(3, Trained.ALL, Activation.SOFTPLUS, 3), data(300, 8, 2), new int[] {3, 6}, Blas.get());
        net.initialise(0, 1);
        net.initialise(1, 2);
        assertEquals(0, StepChecks.bytesOf100Steps(net), "bytes allocated by 100 steps");
    }

    @Test
    void theLayoutHoldsFiltersAndPositionedOutputs() {
        int[] widths = {3, 1, 4};
        for (Trained trained : Trained.values()) {
            for (int depth : new int[] {2, 4}) {
                ModelSpec spec = cnn(depth, trained, Activation.RELU, 3);
                Layout lay = new Layout(spec, D, 2, widths);
                int off = 0;
                for (int l = 0; l < lay.layers; l++) {
                    for (int j = 0; j < widths.length; j++) {
                        assertEquals(off, lay.wOff[l][j]);
                        assertEquals(widths[j] * 3 * (l == 0 ? 1 : widths[j]), lay.weights(l, j));
                        assertEquals(Math.sqrt(2.0 / (widths[j] * 3)), lay.scale[l][j], 1e-12);
                        off += lay.weights(l, j);
                    }
                }
                for (int j = 0; j < widths.length; j++) {
                    assertEquals(off, lay.aOff[j]);
                    off += widths[j] * D * 2;
                }
                assertEquals(off, lay.size);
                for (int j = 0; j < widths.length; j++) {
                    long count = 0;
                    for (int s = 0; s < lay.segFrom[j].length; s++) count += lay.segTo[j][s] - lay.segFrom[j][s];
                    assertEquals(spec.params(widths[j], D, 2), count);
                }
            }
        }
    }

    @Test
    void aTwoDimensionalKernelReadsItsGridAndCountsQSquaredTaps() {
        ModelSpec spec = cnn2d(3, Trained.ALL, Activation.RELU, 2);
        assertEquals(4, spec.taps());
        assertEquals(5 * 4 + 25 * 4 + 5 * 16 * 2, spec.params(5, 16, 2));
        Layout lay = new Layout(spec, 16, 2, new int[] {5});
        assertEquals(5 * 4, lay.weights(0, 0));
        assertEquals(5 * 5 * 4, lay.weights(1, 0));
        assertEquals(Math.sqrt(2.0 / (5 * 4)), lay.scale[0][0], 1e-12);
        // Position (3, 2) of the 4 x 4 grid (index 14): taps (0,0) (0,1) (1,0) (1,1) read (3,2) (3,3) (0,2) (0,3).
        assertEquals(
                List.of(14, 15, 2, 3),
                IntStream.range(0, 4)
                        .map(u -> lay.tapSource[14 * 4 + u])
                        .boxed()
                        .toList());
        Checks.InvalidValue e = assertThrows(
                Checks.InvalidValue.class,
                () -> new Layout(cnn2d(2, Trained.HIDDEN, Activation.RELU, 2), 10, 1, new int[] {2}));
        assertTrue(e.getMessage().contains("square grid"), e.getMessage());
        e = assertThrows(
                Checks.InvalidValue.class,
                () -> new Layout(cnn2d(2, Trained.HIDDEN, Activation.RELU, 5), 16, 1, new int[] {2}));
        assertTrue(e.getMessage().contains("side 4"), e.getMessage());
        assertThrows(
                Checks.InvalidValue.class,
                () -> new ModelSpec(Arch.FC, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5, 0, true));
    }

    @Test
    void theParameterCountIsTheProtocols() {
        // P = m q + (L-2) m^2 q for hidden; a is m x p x k.
        ModelSpec hidden = cnn(4, Trained.HIDDEN, Activation.RELU, 3);
        assertEquals(10 * 3 + 2 * 100 * 3, hidden.params(10, 8, 2));
        assertEquals(10 * 8 * 2, cnn(4, Trained.OUTPUT, Activation.RELU, 3).params(10, 8, 2));
        assertEquals(
                10 * 3 + 2 * 100 * 3 + 10 * 8 * 2,
                cnn(4, Trained.ALL, Activation.RELU, 3).params(10, 8, 2));
        assertEquals(3, new ModelSpec(Arch.CNN, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5).kernel());
        assertEquals(0, new ModelSpec(Arch.FC, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5).kernel());
    }

    @Test
    void badKernelsAreRefused() {
        Checks.InvalidValue e =
                assertThrows(Checks.InvalidValue.class, () -> cnn(2, Trained.HIDDEN, Activation.RELU, 0));
        assertEquals("model.kernel", e.field());
        e = assertThrows(
                Checks.InvalidValue.class,
                () -> new ModelSpec(Arch.FC, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5, 3));
        assertEquals("model.kernel", e.field());
        assertThrows(Checks.InvalidValue.class, () -> cnn(1, Trained.HIDDEN, Activation.RELU, 3));
        e = assertThrows(
                Checks.InvalidValue.class,
                () -> new Network(cnn(2, Trained.HIDDEN, Activation.RELU, D + 1), data(3, D, 1), 2, Blas.get()));
        assertTrue(e.getMessage().contains("at most the d = 5"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("models")
    void theFloat32StepMatchesTheFloat64StepToSinglePrecision(ModelSpec spec, int k) {
        // 1700 samples: three blocks.
        Network net = new Network(spec, data(1700, dFor(spec), k), new int[] {4, 7}, Blas.get());
        net.initialise(0, 11);
        net.initialise(1, 12);
        StepChecks.assertFloat32MatchesFloat64(net);
    }
}
