package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.FloatNetwork;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Network;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.train.Optimizer;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeSpec;
import org.widthlaw.lib.train.ProbeStatus;
import org.widthlaw.lib.train.TrainSpec;
import org.widthlaw.lib.train.Trainer;

/**
 * Minibatch SGD (docs/METHOD.md section 4) against computations of its own: the seeded order is a
 * uniform permutation; a two-layer run equals SGD written out in plain loops from the definition; for
 * every family, loss and precision a run equals SGD through fresh networks over the gathered rows
 * (bit for bit); a batch of widths and a continued run give each probe the bits of a straight run alone.
 */
class SgdTest {
    static final long SEED = 11;

    static TrainSpec sgd(int epochs, int batch, Loss loss, Precision precision) {
        return new TrainSpec(List.of(epochs), 1e-4, Double.NaN, 1.0, precision, false, loss, 0, Optimizer.SGD, batch);
    }

    static ProbeSpec probe(DataSpec data, ModelSpec model, int n, int width, TrainSpec train) {
        return new ProbeSpec("p" + width, "c", data, model, n, SEED, width, train);
    }

    @Test
    void theOrderOfAnEpochIsAUniformPermutationFixedByTheSeed() {
        for (int n : new int[] {1, 2, 7, 100}) {
            for (int e = 0; e < 5; e++) {
                int[] order = Seeds.shuffle(SEED, n, e);
                int[] sorted = order.clone();
                Arrays.sort(sorted);
                for (int i = 0; i < n; i++) assertEquals(i, sorted[i], "a permutation");
                assertArrayEquals(order, Seeds.shuffle(SEED, n, e), "fixed by (seed, n, epoch)");
            }
        }
        assertNotEquals(Arrays.toString(Seeds.shuffle(SEED, 100, 0)), Arrays.toString(Seeds.shuffle(SEED, 100, 1)));
        assertNotEquals(Arrays.toString(Seeds.shuffle(SEED, 100, 0)), Arrays.toString(Seeds.shuffle(SEED + 1, 100, 0)));
        // Monte Carlo: the 24 orders of 4 samples over 48 000 epochs, chi-square against uniform
        // (23 degrees of freedom; 99.9% quantile 49.7).
        int epochs = 48_000;
        int[] count = new int[24];
        for (int e = 0; e < epochs; e++) {
            int[] o = Seeds.shuffle(SEED, 4, e);
            int code = 0;
            boolean[] used = new boolean[4];
            for (int i = 0; i < 4; i++) {
                int rank = 0;
                for (int v = 0; v < o[i]; v++) if (!used[v]) rank++;
                used[o[i]] = true;
                code = code * (4 - i) + rank;
            }
            count[code]++;
        }
        double expected = epochs / 24.0, chi2 = 0;
        for (int c : count) chi2 += (c - expected) * (c - expected) / expected;
        assertTrue(chi2 < 49.7, "chi-square " + chi2 + " over " + Arrays.toString(count));
    }

    @Test
    void aTwoLayerRunIsSgdWrittenOutFromTheDefinition() {
        // f(x) = m^{-1/2} sum_r a_r relu(w_r . x); only W trains; minibatches of 7 of n = 30 (the last
        // one holds 2), each step eta (n / |b|) times the gradient of 0.5 sum_{i in b} (f(x_i) - y_i)^2.
        int n = 30, d = 5, m = 40, batch = 7, epochs = 60;
        DataSpec ds = DataSpec.sphere(d, Labels.RANDOM, 1);
        ProbeResult r = Trainer.train(
                probe(ds, ModelSpec.twoLayer(), n, m, sgd(epochs, batch, Loss.SQUARED, Precision.FLOAT64)));
        Dataset data = Datasets.build(ds, n, SEED);
        Network init = new Network(ModelSpec.twoLayer(), data, m, Blas.get());
        init.initialise(Seeds.init(SEED, m));
        double[] w = Arrays.copyOf(init.theta(), m * d);
        double[] a = Arrays.copyOfRange(init.theta(), m * d, m * d + m);
        double[] x = data.x(), y = data.y();
        double yy = data.targetNormSq(), eta = r.lr(), s = 1 / Math.sqrt(m);
        double[] loss = new double[epochs + 1];
        for (int e = 0; ; e++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double f = 0;
                for (int u = 0; u < m; u++) {
                    double z = 0;
                    for (int c = 0; c < d; c++) z += w[u * d + c] * x[i * d + c];
                    f += s * a[u] * Math.max(z, 0);
                }
                sum += (f - y[i]) * (f - y[i]);
            }
            loss[e] = sum / yy;
            if (e == epochs) break;
            int[] order = Seeds.shuffle(SEED, n, e);
            for (int from = 0; from < n; from += batch) {
                int rows = Math.min(batch, n - from);
                double[] g = new double[m * d];
                for (int b = 0; b < rows; b++) {
                    int i = order[from + b];
                    double[] z = new double[m];
                    double f = 0;
                    for (int u = 0; u < m; u++) {
                        for (int c = 0; c < d; c++) z[u] += w[u * d + c] * x[i * d + c];
                        f += s * a[u] * Math.max(z[u], 0);
                    }
                    for (int u = 0; u < m; u++) {
                        if (z[u] <= 0) continue;
                        for (int c = 0; c < d; c++) g[u * d + c] += (f - y[i]) * s * a[u] * x[i * d + c];
                    }
                }
                double scale = (double) n / rows;
                for (int p = 0; p < g.length; p++) w[p] -= eta * scale * g[p];
            }
        }
        assertTrue(loss[epochs] < 0.5 * loss[0], "the case trains: " + loss[0] + " -> " + loss[epochs]);
        for (int c = 0; c < r.curveSteps().length; c++) {
            int e = r.curveSteps()[c];
            assertEquals(loss[e], r.curveLoss()[c], 1e-10 * loss[e], "r after epoch " + e);
        }
        assertEquals(ProbeStatus.FAIL, r.status());
        assertEquals(epochs, r.steps());
        assertEquals(loss[epochs], r.relLoss(), 1e-10 * loss[epochs]);
    }

    @Test
    void successIsJudgedOnTheFullBatchAfterEveryEpoch() {
        int n = 24, m = 200, epochs = 3000;
        DataSpec ds = DataSpec.sphere(5, Labels.RANDOM, 1);
        ProbeResult r =
                Trainer.train(probe(ds, ModelSpec.twoLayer(), n, m, sgd(epochs, 5, Loss.SQUARED, Precision.FLOAT64)));
        assertEquals(ProbeStatus.SUCCESS, r.status(), "a wide net reaches tol under SGD");
        List<Double> curve =
                reference(ds, ModelSpec.twoLayer(), n, m, sgd(r.steps(), 5, Loss.SQUARED, Precision.FLOAT64), r.lr());
        for (int e = 0; e < r.steps(); e++) assertTrue(curve.get(e) > 1e-4, "not below tol before epoch " + r.steps());
        assertTrue(curve.get(r.steps()) <= 1e-4, "below tol at the crossing epoch");
        assertEquals(r.steps(), r.crossing().getAsInt());
    }

    static Stream<Arguments> cases() {
        DataSpec sphere = DataSpec.sphere(6, Labels.RANDOM, 1);
        DataSpec classes = DataSpec.sphere(6, Labels.TEACHER_CLASS, 3);
        ModelSpec fc3 = new ModelSpec(Arch.FC, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
        ModelSpec resnet = new ModelSpec(Arch.RESNET, 3, Trained.ALL, Activation.SOFTPLUS, Double.NaN, 0.5);
        ModelSpec cnn = new ModelSpec(Arch.CNN, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5, 3);
        List<Arguments> out = new ArrayList<>();
        for (Precision p : Precision.values()) {
            out.add(Arguments.of(sphere, ModelSpec.twoLayer(), Loss.SQUARED, p));
            out.add(Arguments.of(sphere, fc3, Loss.SQUARED, p));
            out.add(Arguments.of(sphere, resnet, Loss.SQUARED, p));
            out.add(Arguments.of(sphere, cnn, Loss.SQUARED, p));
            out.add(Arguments.of(classes, ModelSpec.twoLayer(), Loss.CROSS_ENTROPY, p));
            out.add(Arguments.of(classes, cnn, Loss.HINGE, p));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aRunIsSgdThroughFreshNetworksOverTheGatheredRows(DataSpec ds, ModelSpec model, Loss loss, Precision p) {
        int n = 23, m = 9, epochs = 12;
        TrainSpec train = sgd(epochs, 5, loss, p);
        ProbeResult r = Trainer.train(probe(ds, model, n, m, train));
        List<Double> curve = reference(ds, model, n, m, train, r.lr());
        for (int c = 0; c < r.curveSteps().length; c++) {
            int e = r.curveSteps()[c];
            assertEquals(curve.get(e), r.curveLoss()[c], 0.0, "r after epoch " + e + " (bit for bit)");
        }
        assertEquals(curve.get(r.steps()), r.relLoss(), 0.0);
    }

    /**
     * r(t) after every epoch 0..T by SGD through a new {@link Network} (and, for float32, a new {@link
     * FloatNetwork}) over each minibatch's rows, gathered here; parameters carried in a plain array.
     */
    static List<Double> reference(DataSpec ds, ModelSpec model, int n, int m, TrainSpec train, double eta) {
        Blas blas = Blas.get();
        Dataset data = Datasets.build(ds, n, SEED);
        Network full = new Network(model, data, m, blas);
        full.initialise(Seeds.init(SEED, m));
        boolean f32 = train.precision() == Precision.FLOAT32;
        double[] theta = full.theta().clone();
        if (f32) for (int i = 0; i < theta.length; i++) theta[i] = (float) theta[i];
        Loss loss = train.loss();
        double zero = loss.zeroLoss(data);
        int d = data.d(), k = data.k();
        List<Double> curve = new ArrayList<>();
        double[] v = new double[1], mm = new double[1];
        for (int e = 0; ; e++) {
            System.arraycopy(theta, 0, full.theta(), 0, theta.length);
            if (f32) new FloatNetwork(full).lossAndGradient(loss, v, mm);
            else full.lossAndGradient(loss, new double[theta.length], v, mm);
            curve.add(v[0] / zero);
            if (e == train.steps()) return curve;
            int[] order = Seeds.shuffle(SEED, n, e);
            for (int from = 0; from < n; from += train.batch()) {
                int rows = Math.min(train.batch(), n - from);
                double[] x = new double[rows * d], y = new double[rows * k];
                for (int b = 0; b < rows; b++) {
                    System.arraycopy(data.x(), order[from + b] * d, x, b * d, d);
                    System.arraycopy(data.y(), order[from + b] * k, y, b * k, k);
                }
                Network sub = new Network(model, new Dataset(rows, d, k, x, y), m, blas);
                System.arraycopy(theta, 0, sub.theta(), 0, theta.length);
                double step = eta * ((double) n / rows);
                if (f32) {
                    FloatNetwork fs = new FloatNetwork(sub);
                    fs.lossAndGradient(loss, v, mm);
                    fs.descend(0, step);
                    fs.exportTo(sub);
                    System.arraycopy(sub.theta(), 0, theta, 0, theta.length);
                    continue;
                }
                double[] g = new double[theta.length];
                sub.lossAndGradient(loss, g, v, mm);
                int[] lo = sub.segmentsFrom(0), hi = sub.segmentsTo(0);
                for (int s = 0; s < lo.length; s++) for (int i = lo[s]; i < hi[s]; i++) theta[i] -= step * g[i];
            }
        }
    }

    @Test
    void aBatchOfWidthsGivesEachProbeItsBitsAlone() {
        DataSpec ds = DataSpec.sphere(5, Labels.RANDOM, 1);
        TrainSpec train = sgd(3000, 5, Loss.SQUARED, Precision.FLOAT64);
        List<ProbeSpec> specs = new ArrayList<>();
        for (int w : new int[] {2, 5, 9, 100, 200}) specs.add(probe(ds, ModelSpec.twoLayer(), 24, w, train));
        List<ProbeResult> batch = Trainer.trainBatch(specs);
        boolean some = false, other = false;
        for (int i = 0; i < specs.size(); i++) {
            ProbeResult alone = Trainer.train(specs.get(i));
            ResumeTest.assertSameRun(alone, batch.get(i));
            some |= alone.succeeded();
            other |= !alone.succeeded();
        }
        assertTrue(
                some && other,
                "the case mixes successes and failures, so probes leave the batch: "
                        + batch.stream().map(p -> p.status() + "@" + p.steps()).toList());
    }

    @Test
    void aFailureContinuedToALargerBudgetIsAStraightRun() {
        List<ProbeSpec> small = new ArrayList<>(), large = new ArrayList<>();
        DataSpec ds = DataSpec.sphere(5, Labels.RANDOM, 1);
        for (int w = 1; w <= 12; w++) {
            small.add(probe(ds, ModelSpec.twoLayer(), 40, w, sgd(150, 8, Loss.SQUARED, Precision.FLOAT64)));
            TrainSpec ladder = new TrainSpec(
                    List.of(150, 1500),
                    1e-4,
                    Double.NaN,
                    1.0,
                    Precision.FLOAT64,
                    true,
                    Loss.SQUARED,
                    0,
                    Optimizer.SGD,
                    8);
            large.add(probe(ds, ModelSpec.twoLayer(), 40, w, ladder));
        }
        // The small run without early stop, the ladder with it: resumed probes still match straight ones.
        int continued = ResumeTest.continuedEqualsStraight(small, large);
        assertTrue(continued >= 4, "the case continues several probes: " + continued);
    }

    @Test
    void theDiagnosticsAndTheEvidenceAreThoseOfGd() {
        // fc and cnn under SGD: lambda_min of H(0), the weight move, the sign flips and, for a probe
        // that fails, the convergence evidence over its per-epoch losses.
        DataSpec ds = DataSpec.sphere(6, Labels.RANDOM, 1);
        for (ModelSpec model : List.of(
                new ModelSpec(Arch.FC, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5),
                new ModelSpec(Arch.CNN, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5, 3))) {
            ProbeResult r = Trainer.train(probe(ds, model, 40, 2, sgd(600, 8, Loss.SQUARED, Precision.FLOAT64)));
            assertEquals(ProbeStatus.FAIL, r.status(), model.arch().id() + " at width 2 fails");
            // P = 16 (fc) or 48 (cnn) against n k = 40: H(0) is singular or nearly, up to rounding.
            double lmin = r.lambdaMinNtk0().orElseThrow();
            assertTrue(
                    lmin > -1e-9 * r.lambdaMaxNtk0().orElseThrow(), model.arch().id() + ": " + lmin);
            assertTrue(r.relWeightMove().getAsDouble() > 0, model.arch().id());
            assertTrue(r.actFlipFrac().getAsDouble() >= 0 && r.actFlipFrac().getAsDouble() <= 1);
            assertTrue(
                    r.trend().isPresent() && r.rate().isPresent(),
                    "evidence for " + model.arch().id());
        }
    }

    @Test
    void theRecipeNamesItsMinibatchOnlyForSgd() {
        TrainSpec gd = new TrainSpec(100, 1e-4, Double.NaN, 1.0, Precision.FLOAT64);
        assertEquals(Optimizer.GD, gd.optimizer());
        assertEquals(1, gd.passesPerStep());
        TrainSpec sgd = gd.sgd(16);
        assertTrue(sgd.stochastic());
        assertEquals(16, sgd.batch());
        assertEquals(2, sgd.passesPerStep());
        assertThrows(Checks.InvalidValue.class, () -> gd.sgd(0));
        assertThrows(
                Checks.InvalidValue.class,
                () -> new TrainSpec(
                        List.of(10), 1e-4, Double.NaN, 1, Precision.FLOAT64, false, Loss.SQUARED, 0, Optimizer.GD, 8));
    }
}
