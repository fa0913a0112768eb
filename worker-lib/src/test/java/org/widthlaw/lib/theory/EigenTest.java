package org.widthlaw.lib.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.Bounded;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Network;
import org.widthlaw.lib.model.Trained;

/** The eigen-solver behind every lambda_min, and the time bound on diagnostics. */
class EigenTest {
    /** H(0) of a narrow network: rank at most its trained parameter count, so mostly zero eigenvalues. */
    static double[] narrowGram(ModelSpec spec, int n, int width, long seed) {
        Dataset data = Datasets.build(DataSpec.sphere(5, Labels.RANDOM, 1), n, seed);
        Network net = new Network(spec, data, width, Blas.get());
        net.initialise(seed + 1);
        net.forward();
        return net.ntkGram();
    }

    static List<double[]> narrowGrams() {
        List<double[]> out = new ArrayList<>();
        ModelSpec[] specs = {
            new ModelSpec(Arch.TWO_LAYER, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5),
            new ModelSpec(Arch.TWO_LAYER, 2, Trained.OUTPUT, Activation.RELU, Double.NaN, 0.5),
            new ModelSpec(Arch.FC, 3, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5),
            new ModelSpec(Arch.RESNET, 4, Trained.ALL, Activation.SOFTPLUS, Double.NaN, 0.5),
        };
        for (ModelSpec s : specs) for (int w : new int[] {1, 2, 3}) out.add(narrowGram(s, 60, w, 17 + w));
        return out;
    }

    @Test
    void theNativeSolverIsTheOneThatRuns() {
        if (Boolean.getBoolean("widthlaw.blas.java")) return;
        assertEquals("openblas-lapacke-dsyevd", Eigen.solver());
    }

    @Test
    void agreesWithCommonsMathOnNarrowNetworkGrams() {
        for (double[] g : narrowGrams()) {
            int n = (int) Math.round(Math.sqrt(g.length));
            double[] fast = Eigen.symmetric(g, n);
            double[] ref = Eigen.javaSymmetric(g, n);
            double scale = Math.abs(ref[n - 1]);
            for (int i = 0; i < n; i++) assertEquals(ref[i], fast[i], 1e-10 * scale, "eigenvalue " + i);
            // Rank-deficient: lambda_min is zero to rounding.
            assertTrue(Math.abs(fast[0]) <= 1e-10 * scale, "lambda_min " + fast[0] + " of a narrow Gram");
        }
    }

    @Test
    void agreesWithAHandComputedSpectrum() {
        // Q diag(1, 2, ..., 6) Q^T for a random orthogonal Q (Gram-Schmidt on Gaussian columns).
        int n = 6;
        SplittableRandom r = new SplittableRandom(3);
        double[][] q = new double[n][n];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < n; i++) q[i][c] = r.nextDouble() - 0.5;
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += q[i][c] * q[i][p];
                for (int i = 0; i < n; i++) q[i][c] -= dot * q[i][p];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[i][c] * q[i][c];
            for (int i = 0; i < n; i++) q[i][c] /= Math.sqrt(norm);
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int c = 0; c < n; c++) a[i * n + j] += q[i][c] * (c + 1) * q[j][c];
            }
        }
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, Eigen.symmetric(a, n), 1e-12);
    }

    @Test
    void manyConcurrentCallsFinishAndGiveTheSameBits() throws Exception {
        List<double[]> grams = narrowGrams();
        List<double[]> alone = new ArrayList<>();
        for (double[] g : grams) alone.add(Eigen.symmetric(g, (int) Math.round(Math.sqrt(g.length))));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> calls = new ArrayList<>();
            for (int t = 0; t < 96; t++) {
                int i = t % grams.size();
                double[] g = grams.get(i);
                calls.add(pool.submit(() -> java.util.Arrays.equals(
                        alone.get(i), Eigen.symmetric(g, (int) Math.round(Math.sqrt(g.length))))));
            }
            for (Future<Boolean> f : calls) assertTrue(f.get(120, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDiagnosticThatNeverFinishesIsAbsentAfterItsLimit() {
        long start = System.nanoTime();
        OptionalDouble v = Bounded.call(
                "a stuck diagnostic",
                () -> {
                    while (true) {
                        Thread.onSpinWait();
                        if (Thread.currentThread().isInterrupted()) return 1.0; // interrupted: the answer is discarded
                    }
                },
                Duration.ofMillis(200));
        double secs = (System.nanoTime() - start) / 1e9;
        assertTrue(v.isEmpty());
        assertTrue(secs < 30, "returned after " + secs + " s");
        assertTrue(Bounded.call("fails", () -> {
                    throw new ArithmeticException("no");
                })
                .isEmpty());
        assertTrue(Bounded.call("nan", () -> Double.NaN).isEmpty());
        assertEquals(2.5, Bounded.call("fine", () -> 2.5).orElseThrow(), 0);
    }
}
