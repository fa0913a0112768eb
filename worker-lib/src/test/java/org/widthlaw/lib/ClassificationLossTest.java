package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeSpec;
import org.widthlaw.lib.train.ProbeStatus;
import org.widthlaw.lib.train.TrainSpec;
import org.widthlaw.lib.train.Trainer;

/** The classification losses of docs/METHOD.md section 4 against independent computations. */
class ClassificationLossTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Loss loss : Loss.values()) {
            for (int k : new int[] {1, 3}) {
                // Two-layer ReLU with k = 1 is the fused path; softplus and fc go through the BLAS path.
                out.add(Arguments.of(
                        loss, k, new ModelSpec(Arch.TWO_LAYER, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5)));
                out.add(Arguments.of(
                        loss, k, new ModelSpec(Arch.TWO_LAYER, 2, Trained.ALL, Activation.SOFTPLUS, Double.NaN, 0.5)));
                out.add(Arguments.of(
                        loss, k, new ModelSpec(Arch.FC, 3, Trained.ALL, Activation.RELU, Double.NaN, 0.5)));
                // cnn (its own step, ConvNetwork and FloatConvStep): filters of 2 over the 3 inputs.
                out.add(Arguments.of(
                        loss, k, new ModelSpec(Arch.CNN, 3, Trained.ALL, Activation.SOFTPLUS, Double.NaN, 0.5, 2)));
            }
        }
        return out.stream();
    }

    static Network tiny(ModelSpec spec, int k) {
        Dataset data = Datasets.build(DataSpec.sphere(3, Labels.TEACHER_CLASS, k), 6, 7);
        Network net = new Network(spec, data, 4, Blas.get());
        net.initialise(11);
        return net;
    }

    /** The loss written out from its definition, from f(X) of a forward pass. */
    static double reference(Loss loss, Network net) {
        net.forward();
        double[] f = net.outputs(), y = net.data().y();
        int n = net.data().n(), k = net.data().k();
        double s = 0;
        for (int i = 0; i < n; i++) {
            int o = i * k;
            int label = 0;
            for (int c = 0; c < k; c++) if (y[o + c] == 1) label = c;
            switch (loss) {
                case SQUARED -> {
                    for (int c = 0; c < k; c++) s += 0.5 * (f[o + c] - y[o + c]) * (f[o + c] - y[o + c]);
                }
                case CROSS_ENTROPY -> {
                    if (k == 1) s += Math.log(1 + Math.exp(-y[i] * f[i]));
                    else {
                        double z = 0;
                        for (int c = 0; c < k; c++) z += Math.exp(f[o + c]);
                        s += -Math.log(Math.exp(f[o + label]) / z);
                    }
                }
                case HINGE -> {
                    if (k == 1) s += Math.max(0, 1 - y[i] * f[i]);
                    else for (int c = 0; c < k; c++) if (c != label) s += Math.max(0, 1 + f[o + c] - f[o + label]);
                }
            }
        }
        return s;
    }

    @ParameterizedTest(name = "{0} k={1} {2}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Loss loss, int k, ModelSpec spec) {
        Network net = tiny(spec, k);
        double[] grad = new double[net.size()], value = new double[1], margin = new double[1];
        net.lossAndGradient(loss, grad, value, margin);
        double ref = reference(loss, net);
        // squared reports ||f - y||^2, twice its loss (the sum r(t) divides by ||Y||^2).
        assertEquals(loss == Loss.SQUARED ? 2 * ref : ref, value[0], 1e-12 * Math.max(1, ref), "the loss");
        double[] theta = net.theta();
        double h = 1e-6;
        for (int i : org.widthlaw.lib.model.StepChecks.trained(net, 0)) {
            double keep = theta[i];
            theta[i] = keep + h;
            double up = reference(loss, net);
            theta[i] = keep - h;
            double down = reference(loss, net);
            theta[i] = keep;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, grad[i], 1e-6 * Math.max(1, Math.abs(fd)), "parameter " + i);
        }
        if (loss == Loss.SQUARED) return;
        double smallest = Double.POSITIVE_INFINITY;
        net.forward();
        for (int i = 0; i < net.data().n(); i++) {
            smallest = Math.min(
                    smallest, Loss.margin(net.outputs(), i * k, net.data().y(), i * k, k));
        }
        assertEquals(smallest, margin[0], 1e-12, "the smallest margin");

        // float32: the same loss and gradient up to float rounding.
        FloatNetwork f32 = new FloatNetwork(net);
        double[] value32 = new double[1], margin32 = new double[1];
        f32.lossAndGradient(loss, value32, margin32);
        assertEquals(value[0], value32[0], 1e-4 * Math.max(1, value[0]), "float32 loss");
        assertEquals(margin[0], margin32[0], 1e-4, "float32 margin");
        float[] g32 = f32.gradient();
        for (int i : org.widthlaw.lib.model.StepChecks.trained(net, 0)) {
            assertEquals(grad[i], g32[i], 1e-4 * Math.max(1, Math.abs(grad[i])), "float32 parameter " + i);
        }
    }

    @Test
    void marginsAndTheSuccessRuleOnAHandMadeCase() {
        double[] y1 = {1, -1, 1};
        double[] f1 = {0.5, -0.2, 3};
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 3; i++) min = Math.min(min, Loss.margin(f1, i, y1, i, 1));
        assertEquals(0.2, min, 1e-15);
        assertTrue(Loss.separates(min, 0));
        assertTrue(Loss.separates(min, 0.2));
        assertFalse(Loss.separates(min, 0.3));
        // A sample on the boundary is not correct: gamma = 0 asks for margin > 0.
        assertFalse(Loss.separates(0.0, 0));
        assertTrue(Loss.separates(0.0 + 1e-300, 0));
        assertFalse(Loss.separates(Double.NaN, 0));
        // k = 3: f_y - max of the others.
        double[] f3 = {2, 1, 0.5};
        assertEquals(1, Loss.margin(f3, 0, new double[] {1, 0, 0}, 0, 3), 0);
        assertEquals(-1, Loss.margin(f3, 0, new double[] {0, 1, 0}, 0, 3), 0);
        assertEquals(-1.5, Loss.margin(f3, 0, new double[] {0, 0, 1}, 0, 3), 0);
        // The zero predictor's losses: r(t) = 1 at f = 0.
        Dataset data = Datasets.build(DataSpec.sphere(3, Labels.TEACHER_CLASS, 3), 5, 1);
        assertEquals(5 * Math.log(3), Loss.CROSS_ENTROPY.zeroLoss(data), 1e-12);
        assertEquals(10, Loss.HINGE.zeroLoss(data), 0);
        double[] r = new double[3];
        assertEquals(
                Math.log(3), Loss.CROSS_ENTROPY.sample(new double[3], 0, new double[] {0, 1, 0}, 0, 3, r, 0), 1e-15);
        assertEquals(2, Loss.HINGE.sample(new double[3], 0, new double[] {0, 1, 0}, 0, 3, r, 0), 0);
        assertEquals(-2, r[1], 0);
    }

    @Test
    void teacherClassLabelsArePlusMinusOneOrOneHotAndFollowTheTeacher() {
        Dataset one = Datasets.build(DataSpec.sphere(5, Labels.TEACHER_CLASS, 1), 200, 3);
        Dataset real = Datasets.build(DataSpec.sphere(5, Labels.TEACHER, 1), 200, 3);
        int plus = 0;
        for (int i = 0; i < 200; i++) {
            assertTrue(one.y()[i] == 1 || one.y()[i] == -1);
            if (one.y()[i] == 1) plus++;
            assertEquals(one.classOf()[i], one.y()[i] == 1 ? 0 : 1);
        }
        assertTrue(plus > 40 && plus < 160, "roughly balanced: " + plus);
        // The same inputs as teacher labels (one data stream), and the sign follows the real teacher's order.
        assertEquals(real.x()[7], one.x()[7], 0);
        double lowestPlus = Double.POSITIVE_INFINITY, highestMinus = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 200; i++) {
            if (one.y()[i] == 1) lowestPlus = Math.min(lowestPlus, real.y()[i]);
            else highestMinus = Math.max(highestMinus, real.y()[i]);
        }
        assertTrue(highestMinus < lowestPlus, highestMinus + " vs " + lowestPlus);
        Loss.CROSS_ENTROPY.checkTargets(one);
        Loss.HINGE.checkTargets(Datasets.build(DataSpec.sphere(5, Labels.TEACHER_CLASS, 4), 50, 3));
        Checks.InvalidValue e = assertThrows(Checks.InvalidValue.class, () -> Loss.CROSS_ENTROPY.checkTargets(real));
        assertTrue(e.getMessage().startsWith("train.loss"), e.getMessage());
    }

    static ProbeSpec probe(Loss loss, double margin, int k, int width, Labels labels) {
        return new ProbeSpec(
                "p",
                "c",
                DataSpec.sphere(10, labels, k),
                new ModelSpec(Arch.TWO_LAYER, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5),
                40,
                5,
                width,
                new TrainSpec(List.of(3000), 1e-4, Double.NaN, 1.0, Precision.FLOAT64, false, loss, margin));
    }

    @Test
    void crossEntropyOnSeparableTeacherClassesSucceedsAtAModerateWidth() {
        ProbeResult r = Trainer.train(probe(Loss.CROSS_ENTROPY, 0, 1, 200, Labels.TEACHER_CLASS));
        assertEquals(ProbeStatus.SUCCESS, r.status(), "steps " + r.steps() + ", r " + r.relLoss());
        assertTrue(r.crossing().isPresent());
        assertTrue(r.relLoss() < 1 && r.relLoss() > 0, "r(t) = loss / (n log 2): " + r.relLoss());
        assertEquals(1.0, r.curveLoss()[0], 0.2, "r(0) is near the zero predictor's 1");
        // A larger margin is reached no earlier.
        ProbeResult wide = Trainer.train(probe(Loss.CROSS_ENTROPY, 0.5, 1, 200, Labels.TEACHER_CLASS));
        assertEquals(ProbeStatus.SUCCESS, wide.status());
        assertTrue(wide.steps() >= r.steps(), wide.steps() + " vs " + r.steps());
        // Hinge and k = 3 (softmax) on the same kind of data, through the BLAS path.
        assertEquals(
                ProbeStatus.SUCCESS,
                Trainer.train(probe(Loss.HINGE, 0, 1, 200, Labels.TEACHER_CLASS))
                        .status());
        assertEquals(
                ProbeStatus.SUCCESS,
                Trainer.train(probe(Loss.CROSS_ENTROPY, 0, 3, 200, Labels.TEACHER_CLASS))
                        .status());
    }

    @Test
    void aClassificationFailureContinuedToALargerBudgetIsAStraightRun() {
        for (Loss loss : new Loss[] {Loss.CROSS_ENTROPY, Loss.HINGE}) {
            List<List<ProbeSpec>> runs = new ArrayList<>();
            for (List<Integer> budgets : List.of(List.of(20), List.of(20, 1500))) {
                TrainSpec t = new TrainSpec(budgets, 1e-4, Double.NaN, 1.0, Precision.FLOAT64, false, loss, 0.3);
                List<ProbeSpec> out = new ArrayList<>();
                for (int w = 2; w <= 40; w += 6) {
                    out.add(new ProbeSpec(
                            "p" + w,
                            "c",
                            DataSpec.sphere(5, Labels.TEACHER_CLASS, 1),
                            ModelSpec.twoLayer(),
                            60,
                            3,
                            w,
                            t));
                }
                runs.add(out);
            }
            int continued = ResumeTest.continuedEqualsStraight(runs.get(0), runs.get(1));
            assertTrue(continued >= 2, loss + " continues several probes: " + continued);
        }
    }

    @Test
    void crossEntropyInFloat32AlsoSucceeds() {
        ProbeSpec s = probe(Loss.CROSS_ENTROPY, 0, 1, 200, Labels.TEACHER_CLASS);
        TrainSpec t = s.train();
        ProbeSpec f32 = new ProbeSpec(
                s.probeId(),
                s.cellId(),
                s.data(),
                s.model(),
                s.n(),
                s.seed(),
                s.width(),
                new TrainSpec(t.budgets(), 1e-4, t.lr(), t.cEta(), Precision.FLOAT32, false, t.loss(), t.margin()));
        assertEquals(ProbeStatus.SUCCESS, Trainer.train(f32).status());
    }

    @Test
    void classificationRejectsRealValuedTargetsAndBadSettings() {
        Checks.InvalidValue e = assertThrows(
                Checks.InvalidValue.class, () -> Trainer.train(probe(Loss.HINGE, 0, 1, 10, Labels.RANDOM)));
        assertTrue(e.getMessage().startsWith("train.loss"), e.getMessage());
        assertThrows(
                Checks.InvalidValue.class,
                () -> new TrainSpec(List.of(10), 1e-4, Double.NaN, 1.0, Precision.FLOAT64, false, Loss.HINGE, -1));
        assertThrows(
                Checks.InvalidValue.class,
                () -> new TrainSpec(List.of(10), 1e-4, Double.NaN, 1.0, Precision.FLOAT64, false, Loss.SQUARED, 0.5));
        Checks.InvalidValue early = assertThrows(
                Checks.InvalidValue.class,
                () -> new TrainSpec(
                        List.of(10), 1e-4, Double.NaN, 1.0, Precision.FLOAT64, true, Loss.CROSS_ENTROPY, 0));
        assertTrue(early.getMessage().startsWith("train.early_stop"), early.getMessage());
        assertEquals(Loss.SQUARED, new TrainSpec(10, 1e-4, Double.NaN, 1.0, Precision.FLOAT64).loss());
    }
}
