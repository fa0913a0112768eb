package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeSpec;
import org.widthlaw.lib.train.ProbeStatus;
import org.widthlaw.lib.train.TrainSpec;
import org.widthlaw.lib.train.Trainer;

class TrainerTest {
    /**
     * The determinism promise per BLAS thread count (docs/METHOD.md section 4): at a given thread
     * count a probe's bits repeat exactly, and the count is recorded with the probe. Across thread
     * counts OpenBLAS does not promise the same rounding, so neither does widthlaw (this fc probe
     * agrees at 1 and 2 threads on the Zen kernel; the test prints whether it does here).
     */
    @Test
    void aProbeRepeatsItsBitsAtEachBlasThreadCountAndRecordsIt() {
        ProbeSpec spec = new ProbeSpec(
                "p",
                "c",
                DataSpec.sphere(10, Labels.RANDOM, 1),
                new ModelSpec(Arch.FC, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5),
                300,
                0,
                200,
                new TrainSpec(300, 1e-4, Double.NaN, 1.0, Precision.FLOAT64));
        org.widthlaw.lib.blas.Blas blas = org.widthlaw.lib.blas.Blas.get();
        int before = blas.threads();
        assertTrue(before >= 1, "the thread count is known before any is set: " + before);
        ProbeResult[][] runs = new ProbeResult[2][2];
        try {
            for (int t = 1; t <= 2; t++) {
                blas.setThreads(t);
                runs[t - 1][0] = Trainer.train(spec);
                runs[t - 1][1] = Trainer.train(spec);
            }
        } finally {
            blas.setThreads(before);
        }
        for (int t = 1; t <= 2; t++) {
            ProbeResult a = runs[t - 1][0], b = runs[t - 1][1];
            assertEquals(
                    Double.doubleToRawLongBits(a.relLoss()), Double.doubleToRawLongBits(b.relLoss()), t + " threads");
            assertArrayEquals(a.curveLoss(), b.curveLoss(), t + " threads");
            assertEquals(a.lr(), b.lr(), 0.0);
            assertEquals(blas.library().equals("none") ? 1 : t, a.provenance().blasThreads(), "recorded");
        }
        System.out.printf(
                "fc L=3 n=300 m=200, 300 steps on %s: r = %s (1 thread), %s (2 threads)%n",
                blas.kernel(), runs[0][0].relLoss(), runs[1][0].relLoss());
    }

    static ProbeSpec probe(int n, int width, int steps) {
        return new ProbeSpec(
                "p",
                "c",
                DataSpec.sphere(5, Labels.RANDOM, 1),
                ModelSpec.twoLayer(),
                n,
                3,
                width,
                new TrainSpec(steps, 1e-4, Double.NaN, 1.0, Precision.FLOAT64));
    }

    @Test
    void gradientDescentLowersTheLossOnATinyCase() {
        ProbeResult r = Trainer.train(probe(10, 4, 200));
        double[] curve = r.curveLoss();
        assertTrue(curve.length >= 3);
        for (int i = 1; i < curve.length; i++) {
            assertTrue(curve[i] < curve[i - 1], "loss at step " + r.curveSteps()[i] + " is not below the one before");
        }
        assertTrue(curve[curve.length - 1] < 0.5 * curve[0]);
    }

    @Test
    void aWideNetworkFitsRandomLabelsAndANarrowOneDoesNot() {
        ProbeResult wide = Trainer.train(probe(20, 64, 20_000));
        assertEquals(ProbeStatus.SUCCESS, wide.status());
        assertTrue(wide.relLoss() <= 1e-4);
        assertTrue(wide.steps() < 20_000);
        // Width 1 has 5 trained parameters for 20 random targets: it cannot interpolate.
        ProbeResult narrow = Trainer.train(probe(20, 1, 2_000));
        assertEquals(ProbeStatus.FAIL, narrow.status());
        assertEquals(2_000, narrow.steps());
    }

    static ProbeSpec cnnProbe(int depth, int n, int width, int steps, Precision precision) {
        return new ProbeSpec(
                "p",
                "c",
                DataSpec.sphere(8, Labels.RANDOM, 1),
                new ModelSpec(Arch.CNN, depth, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5, 3),
                n,
                3,
                width,
                new TrainSpec(steps, 1e-4, Double.NaN, 1.0, precision));
    }

    @Test
    void aWideCnnFitsRandomLabelsOnTheSphereAndANarrowOneDoesNot() {
        // n = 20 random targets, d = 8 positions, q = 3: P = 3 m at L = 2, 3 m + 9 m^2 at L = 3.
        for (int[] c : new int[][] {{2, 64}, {3, 16}}) {
            ProbeResult wide = Trainer.train(cnnProbe(c[0], 20, c[1], 20_000, Precision.FLOAT64));
            assertEquals(ProbeStatus.SUCCESS, wide.status(), "L=" + c[0] + " m=" + c[1]);
            assertTrue(wide.relLoss() <= 1e-4);
            assertTrue(wide.lambdaMinNtk0().isPresent(), "lambda_min of H(0) from the cnn Gram");
            assertTrue(wide.actFlipFrac().isPresent());
            System.out.printf("cnn L=%d m=%d n=20: success at step %d%n", c[0], c[1], wide.steps());
        }
        // 2 x 2 filters over the 3 x 3 grid of S^8: P = 4 m at L = 2.
        ProbeSpec square = new ProbeSpec(
                "p",
                "c",
                DataSpec.sphere(9, Labels.RANDOM, 1),
                new ModelSpec(Arch.CNN, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5, 2, true),
                20,
                3,
                32,
                new TrainSpec(20_000, 1e-4, Double.NaN, 1.0, Precision.FLOAT64));
        ProbeResult image = Trainer.train(square);
        assertEquals(ProbeStatus.SUCCESS, image.status(), "2-D");
        System.out.printf("cnn 2-D L=2 m=32 n=20: success at step %d%n", image.steps());
        // Width 1 at L = 2 has 3 trained parameters for 20 random targets: it cannot interpolate.
        ProbeResult narrow = Trainer.train(cnnProbe(2, 20, 1, 2_000, Precision.FLOAT64));
        assertEquals(ProbeStatus.FAIL, narrow.status());
    }

    @Test
    void aCnnTrainsInFloat32LikeInFloat64AndBatchesLikeOneByOne() {
        ProbeResult f64 = Trainer.train(cnnProbe(2, 20, 64, 20_000, Precision.FLOAT64));
        java.util.List<ProbeSpec> specs = java.util.List.of(
                cnnProbe(2, 20, 2, 2_000, Precision.FLOAT32), cnnProbe(2, 20, 64, 2_000, Precision.FLOAT32));
        // One cell: the same budget for both (the float64 run succeeds at step 339).
        specs = specs.stream()
                .map(s -> new ProbeSpec(
                        "p" + s.width(),
                        s.cellId(),
                        s.data(),
                        s.model(),
                        s.n(),
                        s.seed(),
                        s.width(),
                        new TrainSpec(2_000, 1e-4, Double.NaN, 1.0, Precision.FLOAT32)))
                .toList();
        java.util.List<ProbeResult> batch = Trainer.trainBatch(specs);
        assertEquals(ProbeStatus.SUCCESS, batch.get(1).status());
        assertEquals(ProbeStatus.FAIL, batch.get(0).status());
        assertEquals(f64.steps(), batch.get(1).steps(), 0.05 * f64.steps() + 2, "float32 follows float64 closely");
        for (int i = 0; i < specs.size(); i++) {
            ProbeResult one = Trainer.train(specs.get(i));
            assertEquals(Precision.FLOAT32, one.precision());
            assertEquals(one.status(), batch.get(i).status());
            assertEquals(one.relLoss(), batch.get(i).relLoss(), 0.0);
        }
    }

    @Test
    void aTooLargeFixedStepDiverges() {
        ProbeSpec p = probe(10, 8, 1000);
        ProbeSpec big = new ProbeSpec(
                "p",
                "c",
                p.data(),
                p.model(),
                p.n(),
                p.seed(),
                p.width(),
                new TrainSpec(1000, 1e-4, 50.0, 1.0, Precision.FLOAT64));
        assertEquals(ProbeStatus.DIVERGED, Trainer.train(big).status());
    }

    @Test
    void sameSeedGivesTheSameBits() {
        ProbeResult a = Trainer.train(probe(16, 6, 500));
        ProbeResult b = Trainer.train(probe(16, 6, 500));
        assertEquals(Double.doubleToRawLongBits(a.relLoss()), Double.doubleToRawLongBits(b.relLoss()));
        assertEquals(a.lr(), b.lr());
        assertArrayEquals(a.curveLoss(), b.curveLoss());
    }

    @Test
    void sampleSetsNest() {
        for (Labels labels : new Labels[] {Labels.RANDOM, Labels.TEACHER}) {
            DataSpec spec = DataSpec.sphere(4, labels, 1);
            Dataset small = Datasets.build(spec, 10, 9);
            Dataset big = Datasets.build(spec, 25, 9);
            for (int i = 0; i < 10 * 4; i++) assertEquals(small.x()[i], big.x()[i], 0.0);
            for (int i = 0; i < 10; i++) assertEquals(small.y()[i], big.y()[i], 0.0);
            for (int i = 0; i < 25; i++) {
                double s = 0;
                for (int j = 0; j < 4; j++) s += big.x()[i * 4 + j] * big.x()[i * 4 + j];
                assertEquals(1.0, s, 1e-12);
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(Arch.class)
    void batchedProbesGiveTheResultsOfOneByOne(Arch arch) {
        ModelSpec model =
                new ModelSpec(arch, arch == Arch.TWO_LAYER ? 2 : 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
        java.util.List<ProbeSpec> specs = new java.util.ArrayList<>();
        for (int w : new int[] {2, 9, 4, 24, 16}) {
            specs.add(new ProbeSpec(
                    "p" + w,
                    "c",
                    DataSpec.sphere(5, Labels.RANDOM, 1),
                    model,
                    30,
                    3,
                    w,
                    new TrainSpec(3000, 1e-4, Double.NaN, 1.0, Precision.FLOAT64)));
        }
        java.util.List<ProbeResult> batch = Trainer.trainBatch(specs);
        java.util.Set<ProbeStatus> statuses = new java.util.HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            ProbeResult one = Trainer.train(specs.get(i));
            ProbeResult b = batch.get(i);
            statuses.add(one.status());
            assertEquals(one.probeId(), b.probeId());
            assertEquals(one.status(), b.status());
            assertEquals(one.steps(), b.steps());
            // Bit for bit: a probe's numbers never depend on which probes share its batch.
            assertEquals(one.relLoss(), b.relLoss(), 0.0);
            assertEquals(one.lr(), b.lr(), 0.0);
            assertEquals(one.relWeightMove().orElseThrow(), b.relWeightMove().orElseThrow(), 0.0);
            assertEquals(one.actFlipFrac().orElseThrow(), b.actFlipFrac().orElseThrow(), 0.0);
            assertArrayEquals(one.curveSteps(), b.curveSteps());
            assertArrayEquals(one.curveLoss(), b.curveLoss());
        }
        assertTrue(
                statuses.size() > 1,
                "the batch should mix outcomes so that probes leave it at different steps: " + statuses);
    }

    @Test
    void aGdStepAllocatesNothingAfterTheFirst() {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Dataset data = Datasets.build(DataSpec.sphere(5, Labels.RANDOM, 1), 300, 1);
        org.widthlaw.lib.model.Network net = new org.widthlaw.lib.model.Network(
                new ModelSpec(Arch.RESNET, 4, Trained.ALL, Activation.SOFTPLUS, Double.NaN, 0.5),
                data,
                new int[] {8, 16},
                org.widthlaw.lib.blas.Blas.get());
        net.initialise(0, 1);
        net.initialise(1, 2);
        assertEquals(0, org.widthlaw.lib.model.StepChecks.bytesOf100Steps(net), "bytes allocated by 100 steps");
        double[] ss = new double[2];
        org.widthlaw.lib.model.FloatNetwork f = new org.widthlaw.lib.model.FloatNetwork(net);
        for (int i = 0; i < 200; i++) {
            f.lossAndGradient(ss);
            f.descend(0, 1e-3);
        }
        long before32 = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) {
            f.lossAndGradient(ss);
            f.descend(0, 1e-3);
        }
        assertEquals(0, mx.getCurrentThreadAllocatedBytes() - before32, "bytes allocated by 100 float32 steps");
    }

    @Test
    void float32TrainsToItsToleranceAndBatchesLikeOneByOne() {
        java.util.List<ProbeSpec> specs = new java.util.ArrayList<>();
        for (int w : new int[] {2, 24, 64}) {
            specs.add(new ProbeSpec(
                    "p" + w,
                    "c",
                    DataSpec.sphere(5, Labels.RANDOM, 1),
                    ModelSpec.twoLayer(),
                    20,
                    3,
                    w,
                    new TrainSpec(20_000, 1e-5, Double.NaN, 1.0, Precision.FLOAT32)));
        }
        java.util.List<ProbeResult> batch = Trainer.trainBatch(specs);
        assertEquals(ProbeStatus.SUCCESS, batch.get(2).status());
        assertTrue(batch.get(2).relLoss() <= 1e-5);
        assertEquals(ProbeStatus.FAIL, batch.get(0).status());
        for (int i = 0; i < specs.size(); i++) {
            ProbeResult one = Trainer.train(specs.get(i));
            assertEquals(Precision.FLOAT32, one.precision());
            assertEquals(one.status(), batch.get(i).status());
            assertEquals(one.relLoss(), batch.get(i).relLoss(), 0.0);
        }
        ProbeResult f64 = Trainer.train(new ProbeSpec(
                "p",
                "c",
                DataSpec.sphere(5, Labels.RANDOM, 1),
                ModelSpec.twoLayer(),
                20,
                3,
                64,
                new TrainSpec(20_000, 1e-5, Double.NaN, 1.0, Precision.FLOAT64)));
        assertEquals(
                f64.steps(),
                batch.get(2).steps(),
                0.05 * f64.steps() + 2,
                "float32 follows the float64 trajectory closely");
        assertThrows(Checks.InvalidValue.class, () -> new TrainSpec(100, 1e-7, Double.NaN, 1.0, Precision.FLOAT32));
    }
}
