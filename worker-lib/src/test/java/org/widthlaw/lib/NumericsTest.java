package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.train.Numerics;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeSpec;
import org.widthlaw.lib.train.TrainSpec;
import org.widthlaw.lib.train.Trainer;

/**
 * Pins the numbers of a set of probes to {@link Numerics#VERSION}. The probes train through a
 * scalar reference BLAS written here (each entry a plain sum in index order: the same bits on every
 * machine), so what is pinned is the trainer's own arithmetic. When this test fails, a probe's
 * numbers changed: raise {@link Numerics#VERSION}, say in it what changed, and pin the new digest.
 */
class NumericsTest {
    /** Digest of the pinned probes' numbers, per version. */
    static final String PINNED = "e1e424a2cbd78ab17f208b0c44127158";

    /** Row-major reference products: c = alpha op(a) op(b) + beta c, sums over k in order. */
    static final class ReferenceBlas implements Blas {
        @Override
        public void gemm(
                boolean ta,
                boolean tb,
                int m,
                int n,
                int k,
                double alpha,
                double[] a,
                int oa,
                int lda,
                double[] b,
                int ob,
                int ldb,
                double beta,
                double[] c,
                int oc,
                int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double x = ta ? a[oa + p * lda + i] : a[oa + i * lda + p];
                        double y = tb ? b[ob + j * ldb + p] : b[ob + p * ldb + j];
                        s += x * y;
                    }
                    int at = oc + i * ldc + j;
                    c[at] = alpha * s + (beta == 0 ? 0 : beta * c[at]);
                }
            }
        }

        @Override
        public void sgemm(
                boolean ta,
                boolean tb,
                int m,
                int n,
                int k,
                float alpha,
                float[] a,
                int oa,
                int lda,
                float[] b,
                int ob,
                int ldb,
                float beta,
                float[] c,
                int oc,
                int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int p = 0; p < k; p++) {
                        float x = ta ? a[oa + p * lda + i] : a[oa + i * lda + p];
                        float y = tb ? b[ob + j * ldb + p] : b[ob + p * ldb + j];
                        s += x * y;
                    }
                    int at = oc + i * ldc + j;
                    c[at] = alpha * s + (beta == 0 ? 0 : beta * c[at]);
                }
            }
        }

        @Override
        public void setThreads(int threads) {}

        @Override
        public int threads() {
            return 1;
        }

        @Override
        public String name() {
            return "reference";
        }

        @Override
        public String library() {
            return "none";
        }

        @Override
        public String kernel() {
            return "none";
        }
    }

    static List<ProbeResult> pinnedProbes() {
        Blas blas = new ReferenceBlas();
        DataSpec data = DataSpec.sphere(6, Labels.RANDOM, 1);
        List<ProbeResult> out = new ArrayList<>();
        record Case(Arch arch, int depth, Precision precision, int... widths) {}
        List<Case> cases = List.of(
                new Case(Arch.TWO_LAYER, 2, Precision.FLOAT64, 3, 9, 24),
                new Case(Arch.FC, 3, Precision.FLOAT64, 4, 12),
                new Case(Arch.RESNET, 3, Precision.FLOAT64, 5, 12),
                new Case(Arch.TWO_LAYER, 2, Precision.FLOAT32, 4, 24));
        for (Case c : cases) {
            ModelSpec model = new ModelSpec(c.arch(), c.depth(), Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
            TrainSpec train = new TrainSpec(List.of(300, 1500), 1e-3, Double.NaN, 1.0, c.precision(), true);
            List<ProbeSpec> specs = new ArrayList<>();
            for (int w : c.widths()) specs.add(new ProbeSpec("p" + w, "c", data, model, 24, 5, w, train));
            out.addAll(Trainer.trainBatch(specs, Datasets.build(data, 24, 5), blas));
        }
        return out;
    }

    static String digest(List<ProbeResult> probes) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer b = ByteBuffer.allocate(8);
        java.util.function.DoubleConsumer put = v -> {
            b.clear();
            b.putDouble(v);
            md.update(b.array());
        };
        for (ProbeResult r : probes) {
            md.update(r.status().id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            put.accept(r.steps());
            put.accept(r.relLoss());
            put.accept(r.lr());
            for (double v : r.curveLoss()) put.accept(v);
            for (double v : r.rungLoss()) put.accept(v);
            put.accept(r.rate().orElse(-1));
            put.accept(r.relWeightMove().orElse(-1));
        }
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    @Test
    void theTrainersNumbersArePinnedToItsNumericsVersion() throws Exception {
        List<ProbeResult> probes = pinnedProbes();
        assertEquals(
                "v" + Numerics.VERSION + ":" + PINNED,
                "v" + Numerics.VERSION + ":" + digest(probes),
                "a probe's numbers changed: raise Numerics.VERSION (saying what changed) and pin the new digest");
    }
}
