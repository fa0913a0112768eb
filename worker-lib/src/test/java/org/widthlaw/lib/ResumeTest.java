package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.train.Checkpoint;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeSpec;
import org.widthlaw.lib.train.ProbeStatus;
import org.widthlaw.lib.train.TrainSpec;
import org.widthlaw.lib.train.Trainer;

/**
 * A probe continued from its checkpoint under a larger budget gives the bits of a straight run to
 * that budget: status, steps, loss, curve, rungs, evidence and diagnostics.
 */
class ResumeTest {
    static List<ProbeSpec> probes(List<Integer> budgets, Precision precision, boolean earlyStop) {
        TrainSpec train = new TrainSpec(budgets, 1e-4, Double.NaN, 1.0, precision, earlyStop);
        List<ProbeSpec> out = new ArrayList<>();
        for (int w = 1; w <= 12; w++) {
            out.add(new ProbeSpec(
                    "p" + w, "c", DataSpec.sphere(5, Labels.RANDOM, 1), ModelSpec.twoLayer(), 40, 3, w, train));
        }
        return out;
    }

    static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    static long bits(OptionalDouble v) {
        return v.isPresent() ? bits(v.getAsDouble()) : -1;
    }

    /** Every number a straight run and a continued one must share (not timing, not resumed_from). */
    static void assertSameRun(ProbeResult straight, ProbeResult resumed) {
        String w = "width " + straight.width();
        assertEquals(straight.status(), resumed.status(), w);
        assertEquals(straight.steps(), resumed.steps(), w);
        assertEquals(bits(straight.relLoss()), bits(resumed.relLoss()), w);
        assertEquals(bits(straight.lr()), bits(resumed.lr()), w);
        assertEquals(bits(straight.lambdaMinNtk0()), bits(resumed.lambdaMinNtk0()), w);
        assertEquals(bits(straight.relWeightMove()), bits(resumed.relWeightMove()), w);
        assertEquals(bits(straight.actFlipFrac()), bits(resumed.actFlipFrac()), w);
        assertArrayEquals(straight.curveSteps(), resumed.curveSteps(), w);
        assertArrayEquals(straight.curveLoss(), resumed.curveLoss(), w);
        assertArrayEquals(straight.rungSteps(), resumed.rungSteps(), w);
        assertArrayEquals(straight.rungLoss(), resumed.rungLoss(), w);
        assertEquals(straight.crossing(), resumed.crossing(), w);
        assertEquals(bits(straight.rate()), bits(resumed.rate()), w);
        assertEquals(straight.trend(), resumed.trend(), w);
        assertEquals(bits(straight.extrapolatedCrossing()), bits(resumed.extrapolatedCrossing()), w);
        assertEquals(straight.budget(), resumed.budget(), w);
    }

    /**
     * Trains {@code small}'s probes, continues every one that left a checkpoint (through its bytes,
     * as a file in OUT would) under {@code large}, and checks them against a straight run of
     * {@code large}; returns how many were continued.
     */
    static int continuedEqualsStraight(List<ProbeSpec> small, List<ProbeSpec> large) {
        List<Trainer.Trained> first = Trainer.trainAll(small);
        List<ProbeResult> straight = Trainer.trainBatch(large);
        List<ProbeSpec> again = new ArrayList<>();
        List<Integer> which = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            Trainer.Trained t = first.get(i);
            ProbeStatus s = t.result().status();
            boolean unfinished = s == ProbeStatus.FAIL || s == ProbeStatus.EARLY_FAIL;
            assertEquals(unfinished, t.checkpoint() != null, "a checkpoint exactly for unfinished probes");
            if (!unfinished) {
                assertSameRun(straight.get(i), t.result()); // within the small budget: the same run
                continue;
            }
            Checkpoint ck = Checkpoint.fromBytes(t.checkpoint().toBytes());
            assertEquals(t.result().steps(), ck.step());
            again.add(large.get(i).resumedFrom(ck));
            which.add(i);
        }
        // Resumed probes and a fresh one in one call: each gets a straight run's bits.
        again.add(large.get(large.size() - 1));
        which.add(large.size() - 1);
        List<Trainer.Trained> resumed = Trainer.trainAll(again);
        for (int k = 0; k < which.size(); k++) {
            ProbeResult r = resumed.get(k).result();
            assertSameRun(straight.get(which.get(k)), r);
            Trainer.Trained tr = resumed.get(k);
            if (k < which.size() - 1) {
                assertTrue(r.resumedFrom() > 0, "continued, not retrained");
                // This run's own seconds and steps: the earlier run's are left out.
                assertEquals(r.steps() - first.get(which.get(k)).result().steps(), tr.stepsNow());
                assertEquals(first.get(which.get(k)).result().secs(), tr.priorSecs(), 1e-9);
                assertTrue(tr.secsNow() > 0 && tr.secsNow() < r.secs());
            } else {
                assertEquals(0, r.resumedFrom());
                assertEquals(r.secs(), tr.secsNow(), 0);
            }
            assertTrue(r.successAt(large.get(0).train().steps()).isPresent());
        }
        return which.size() - 1;
    }

    @Test
    void aFailureContinuedToALargerBudgetIsAStraightRun() {
        int continued = continuedEqualsStraight(
                probes(List.of(800), Precision.FLOAT64, false), probes(List.of(800, 6000), Precision.FLOAT64, false));
        assertTrue(continued >= 4, "the case continues several probes: " + continued);
    }

    @Test
    void anEarlyStopUnderASmallLadderIsReconsideredUnderALargerOne() {
        // Early stop on: a probe stalled for the budget 3000 may not be for 40 000; either way the
        // continued probe matches the straight run, stopped early or not.
        List<ProbeSpec> small = probes(List.of(3000), Precision.FLOAT64, true);
        List<ProbeSpec> large = probes(List.of(3000, 40_000), Precision.FLOAT64, true);
        int continued = continuedEqualsStraight(small, large);
        assertTrue(continued >= 4, "the case continues several probes: " + continued);
        long early = Trainer.trainBatch(small).stream()
                .filter(r -> r.status() == ProbeStatus.EARLY_FAIL)
                .count();
        assertTrue(early > 0, "the small ladder stops some probes early");
    }

    @Test
    void float32ContinuesFromItsExactParameters() {
        int continued = continuedEqualsStraight(
                probes(List.of(700), Precision.FLOAT32, false), probes(List.of(700, 4000), Precision.FLOAT32, false));
        assertTrue(continued >= 4, "the case continues several probes: " + continued);
    }

    @Test
    void aCnnFailureContinuedToALargerBudgetIsAStraightRun() {
        // L = 3 cnn, filters of 3 over 5 positions, every layer trained, in float64 and float32.
        ModelSpec cnn = new ModelSpec(
                org.widthlaw.lib.model.Arch.CNN,
                3,
                org.widthlaw.lib.model.Trained.ALL,
                org.widthlaw.lib.model.Activation.RELU,
                Double.NaN,
                0.5,
                3);
        for (Precision p : Precision.values()) {
            List<ProbeSpec> small = new ArrayList<>(), large = new ArrayList<>();
            for (int w = 1; w <= 6; w++) {
                DataSpec ds = DataSpec.sphere(5, Labels.RANDOM, 1);
                small.add(new ProbeSpec(
                        "p" + w, "c", ds, cnn, 30, 3, w, new TrainSpec(List.of(100), 1e-4, Double.NaN, 1.0, p, false)));
                large.add(new ProbeSpec(
                        "p" + w,
                        "c",
                        ds,
                        cnn,
                        30,
                        3,
                        w,
                        new TrainSpec(List.of(100, 3000), 1e-4, Double.NaN, 1.0, p, false)));
            }
            int continued = continuedEqualsStraight(small, large);
            assertTrue(continued >= 3, p + ": the case continues several probes: " + continued);
        }
    }

    @Test
    void onlyUnfinishedProbesLeaveACheckpoint() {
        List<Trainer.Trained> t = Trainer.trainAll(probes(List.of(20_000), Precision.FLOAT64, true));
        int successes = 0;
        for (Trainer.Trained p : t) {
            if (p.result().succeeded()) {
                successes++;
                assertNull(p.checkpoint(), "a success needs no continuation");
            } else {
                assertNotNull(p.checkpoint());
                assertEquals(20_000, p.checkpoint().budget());
                assertEquals(p.result().steps(), p.checkpoint().step());
            }
        }
        assertTrue(successes > 0 && successes < t.size(), "the case mixes outcomes: " + successes);
    }
}
