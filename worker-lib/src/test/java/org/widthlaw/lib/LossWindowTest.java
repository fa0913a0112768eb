package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.train.LossWindow;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeSpec;
import org.widthlaw.lib.train.ProbeStatus;
import org.widthlaw.lib.train.TrainSpec;
import org.widthlaw.lib.train.Trainer;
import org.widthlaw.lib.train.Trend;

/** Convergence evidence against hand-derived cases, and early stop and budget ladders on real probes. */
class LossWindowTest {
    static LossWindow feed(int steps, java.util.function.IntToDoubleFunction r) {
        LossWindow w = new LossWindow(steps);
        for (int t = 0; t <= steps; t++) w.add(t, r.applyAsDouble(t));
        return w;
    }

    @Test
    void anExponentialDecayIsConvergingWithItsRateAndCrossing() {
        // r(t) = e^{-0.001 t}: rate 0.001 in both windows, and r = tol at t = -ln(tol) / 0.001.
        LossWindow w = feed(3999, t -> Math.exp(-0.001 * t));
        LossWindow.Evidence e = w.assess(1e-4, 20_000);
        assertEquals(Trend.CONVERGING, e.trend());
        assertEquals(0.001, e.rate(), 1e-12);
        assertEquals(-Math.log(1e-4) / 0.001, e.crossing().orElseThrow(), 1e-6);
    }

    @Test
    void aFlatLossIsStalledAndAChangingRateIsErratic() {
        LossWindow flat = feed(3999, t -> 0.5);
        assertEquals(Trend.STALLED, flat.assess(1e-4, 20_000).trend());
        assertEquals(0, flat.assess(1e-4, 20_000).rate(), 1e-15);
        // W = 400 at t = 3999: rate 0.002 in the window before, 0.0005 in the last one; far from the
        // last budget, ten times 0.0005 would still reach tol: neither converging nor stalled.
        LossWindow bend = feed(3999, t -> t < 3600 ? Math.exp(-0.002 * t) : Math.exp(-7.2 - 0.0005 * (t - 3600)));
        LossWindow.Evidence e = bend.assess(1e-4, 1_000_000);
        assertEquals(Trend.ERRATIC, e.trend());
        assertEquals(0.0005, e.rate(), 1e-9);
        // The same history close to the last budget: out of reach even at ten times the rate.
        assertEquals(Trend.STALLED, bend.assess(1e-9, 4100).trend());
        // Too little history for two windows: erratic, never a verdict.
        assertEquals(Trend.ERRATIC, feed(300, t -> 0.5).assess(1e-4, 20_000).trend());
        assertEquals(200, LossWindow.window(0));
        assertEquals(400, LossWindow.window(3999));
    }

    static List<ProbeSpec> probes(TrainSpec train) {
        List<ProbeSpec> out = new ArrayList<>();
        for (int w = 1; w <= 14; w++) {
            out.add(new ProbeSpec(
                    "p" + w, "c", DataSpec.sphere(5, Labels.RANDOM, 1), ModelSpec.twoLayer(), 40, 3, w, train));
        }
        return out;
    }

    static int minWidth(List<ProbeResult> rs, int budget) {
        for (ProbeResult r : rs) if (r.successAt(budget).orElseThrow()) return r.width();
        return 0;
    }

    @Test
    void earlyStopStopsOnlyProbesThatWouldFailAndKeepsMStar() {
        int budget = 30_000;
        List<ProbeResult> full = new ArrayList<>();
        List<ProbeResult> early = new ArrayList<>();
        for (ProbeSpec p : probes(new TrainSpec(List.of(budget), 1e-4, Double.NaN, 1.0, Precision.FLOAT64, false))) {
            full.add(Trainer.train(p));
        }
        for (ProbeSpec p : probes(new TrainSpec(List.of(budget), 1e-4, Double.NaN, 1.0, Precision.FLOAT64, true))) {
            early.add(Trainer.train(p));
        }
        int stopped = 0;
        long saved = 0;
        for (int i = 0; i < full.size(); i++) {
            ProbeResult f = full.get(i), e = early.get(i);
            if (e.status() == ProbeStatus.EARLY_FAIL) {
                stopped++;
                saved += f.steps() - e.steps();
                assertTrue(!f.succeeded(), "width " + f.width() + " was stopped early but succeeds within the budget");
                assertEquals(Trend.STALLED, e.trend().orElseThrow());
            } else {
                assertEquals(f.status(), e.status(), "width " + f.width());
                assertEquals(Double.doubleToRawLongBits(f.relLoss()), Double.doubleToRawLongBits(e.relLoss()));
            }
            if (!f.succeeded()) assertTrue(f.trend().isPresent(), "every failure carries its evidence");
        }
        assertTrue(stopped > 0, "the case stops some probes early");
        assertTrue(saved > 0);
        assertEquals(minWidth(full, budget), minWidth(early, budget));
    }

    @Test
    void aLadderAnswersEverySmallerBudgetWithTheBitsOfAStraightRun() {
        List<ProbeResult> ladder = new ArrayList<>();
        List<ProbeResult> small = new ArrayList<>();
        for (ProbeSpec p : probes(new TrainSpec(List.of(600, 5000), 1e-4, Double.NaN, 1.0, Precision.FLOAT64, false))) {
            ladder.add(Trainer.train(p));
        }
        for (ProbeSpec p : probes(new TrainSpec(600, 1e-4, Double.NaN, 1.0, Precision.FLOAT64))) {
            small.add(Trainer.train(p));
        }
        for (int i = 0; i < ladder.size(); i++) {
            ProbeResult l = ladder.get(i), s = small.get(i);
            assertEquals(s.succeeded(), l.successAt(600).orElseThrow(), "width " + s.width());
            if (s.succeeded()) {
                assertEquals(s.steps(), l.crossing().orElseThrow());
            } else {
                assertEquals(600, l.rungSteps()[0]);
                assertEquals(Double.doubleToRawLongBits(s.relLoss()), Double.doubleToRawLongBits(l.rungLoss()[0]));
            }
            // The small run cannot answer the larger budget when it failed.
            if (!s.succeeded() && s.status() == ProbeStatus.FAIL)
                assertTrue(s.successAt(5000).isEmpty());
        }
        assertTrue(minWidth(ladder, 5000) <= minWidth(ladder, 600) || minWidth(ladder, 600) == 0);
    }
}
