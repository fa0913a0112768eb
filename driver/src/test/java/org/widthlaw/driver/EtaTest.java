package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.search.SearchState;
import org.widthlaw.lib.search.WidthSearch;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeStatus;

/**
 * The ETA against a simulated sweep with the cost structure of a real one: the quickstart's cells
 * (two-layer, d = 10, n from 50 to 400, three seeds, the audit on), a true threshold per cell, and
 * each probe's time its flops per step times the steps it runs: far below the threshold it stops
 * early (a fifth of the budget), near it it runs to the budget, far above it crosses early. Cells
 * advance together, one probe each per round, on two slots, as the scheduler sends them. At every
 * round with a fifth or more of the work left, the estimate made from what has finished is
 * compared with the time the simulation then actually takes.
 */
class EtaTest {
    static final String JOB = """
            name: eta
            data: { kind: sphere, d: 10, labels: random }
            model: { arch: two-layer, trained: hidden, activation: relu }
            grid: { depth: [2], n: [50, 100, 200, 400], seeds: 3 }
            search: { min_width: 1, max_width: 4096, resolution: 1, audit: true }
            train: { steps: 20000, tol: 1.0e-4 }
            """;

    static final double SECS_PER_FLOP = 1e-9;

    /** The threshold of a cell: about 2.3 n / 10 parameters per sample, varying with the seed. */
    static int threshold(Cell c) {
        return (int) Math.round(0.23 * c.n() + 3 + 2 * c.seed());
    }

    /** Steps a probe of width w runs in a cell with threshold m (the budget T). */
    static int steps(int w, int m, int budget) {
        if (w < m) return w < m / 2 ? budget / 5 : budget;
        return (int) Math.max(50, Math.min(budget, budget * Math.pow((double) m / w, 4)));
    }

    static ProbeResult probe(Cell c, int w, int steps, double secs, boolean ok) {
        return new ProbeResult(
                "p" + c.cellId() + w,
                c.cellId(),
                w,
                10L * w,
                ok ? ProbeStatus.SUCCESS : ProbeStatus.FAIL,
                steps,
                ok ? 9e-5 : 1e-2,
                0.1,
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                secs,
                secs,
                org.widthlaw.lib.train.Precision.FLOAT64,
                new int[] {0, steps},
                new double[] {1, ok ? 9e-5 : 1e-2},
                OptionalDouble.empty(),
                OptionalDouble.empty(),
                GoldenTest.probes().get(0).provenance(),
                20_000,
                ok ? OptionalInt.of(steps) : OptionalInt.empty(),
                new int[0],
                new double[0],
                OptionalDouble.empty(),
                java.util.Optional.empty(),
                OptionalDouble.empty(),
                0);
    }

    /** Estimate over truth at every round with at least a fifth of the work left: {eta, naive}. */
    static List<double[]> ratios(Job job, int slots) {
        int budget = job.train().steps();
        Map<String, Cell> cells = new LinkedHashMap<>();
        Map<String, SearchState> states = new LinkedHashMap<>();
        for (Cell c : job.cells()) {
            cells.put(c.cellId(), c);
            states.put(c.cellId(), WidthSearch.start(job.search()));
        }
        // The whole run first: per round, the probes each open cell trains.
        List<List<ProbeResult>> rounds = new ArrayList<>();
        List<Map<String, SearchState>> before = new ArrayList<>();
        while (states.values().stream().anyMatch(s -> !s.done())) {
            before.add(new LinkedHashMap<>(states));
            List<ProbeResult> round = new ArrayList<>();
            for (Map.Entry<String, SearchState> e : states.entrySet()) {
                if (e.getValue().done()) continue;
                Cell c = cells.get(e.getKey());
                int w = e.getValue().pending().get(0);
                int m = threshold(c);
                int st = steps(w, m, budget);
                round.add(probe(c, w, st, c.cost(w, st + 1) * SECS_PER_FLOP, w >= m));
                e.setValue(WidthSearch.next(e.getValue(), w, w >= m));
            }
            rounds.add(round);
        }
        double[] roundSecs = rounds.stream()
                .mapToDouble(r -> Math.max(
                        r.stream().mapToDouble(ProbeResult::secs).sum() / slots,
                        r.stream().mapToDouble(ProbeResult::secs).max().orElse(0)))
                .toArray();
        double total = java.util.Arrays.stream(roundSecs).sum();
        List<double[]> out = new ArrayList<>();
        List<ProbeResult> done = new ArrayList<>();
        double elapsed = 0;
        for (int k = 1; k < rounds.size(); k++) {
            done.addAll(rounds.get(k - 1));
            elapsed += roundSecs[k - 1];
            double truth = total - elapsed;
            if (truth < 0.2 * total) break;
            List<Eta.Open> open = new ArrayList<>();
            int expected = 0;
            for (Map.Entry<String, SearchState> e : before.get(k).entrySet()) {
                open.add(new Eta.Open(cells.get(e.getKey()), e.getValue()));
                expected += WidthSearch.expectedRemaining(e.getValue());
            }
            double eta = Eta.seconds(
                    Eta.left(open, budget, (id, w) -> false),
                    Eta.secsPerFlop(done, cells::get).getAsDouble(),
                    slots);
            // The estimate it replaces: the searches' expected probes times the mean probe time, over the slots.
            double naive = expected
                    * done.stream().mapToDouble(ProbeResult::secs).average().orElseThrow()
                    / slots;
            out.add(new double[] {eta / truth, naive / truth});
        }
        return out;
    }

    @Test
    void theEstimateIsWithinAFactorOfTwoOnARealisticMixWhereTheMeanProbeTimeReadsThreeTimesLow() {
        Job job = JobParser.parse(JOB, "eta");
        List<double[]> r = ratios(job, 2);
        assertTrue(r.size() >= 5, "enough rounds to judge: " + r.size());
        double worstNaive = r.stream().mapToDouble(x -> x[1]).min().orElseThrow();
        // The mix is one where the mean-probe-time estimate reads 3x low (and more) at some point.
        assertTrue(worstNaive < 1 / 3.0, "the naive estimate's worst ratio " + worstNaive);
        for (int i = 0; i < r.size(); i++) {
            double ratio = r.get(i)[0];
            assertTrue(ratio > 1 / 2.0 && ratio < 2.0, "round " + (i + 1) + ": estimate / truth = " + ratio);
        }
    }

    @Test
    void theRateIsSecondsPerFlopOnTheStepsRun() {
        Job job = JobParser.parse(JOB, "eta");
        Cell c = job.cells().get(0);
        ProbeResult a = probe(c, 8, 999, 2.0, false);
        ProbeResult b = probe(c, 16, 99, 3.0, true);
        double flops = c.cost(8, 1000) + c.cost(16, 100);
        assertEquals(5.0 / flops, Eta.secsPerFlop(List.of(a, b), id -> c).getAsDouble(), 1e-15 / flops);
        assertTrue(Eta.secsPerFlop(List.of(), id -> c).isEmpty());
    }

    @Test
    void aBisectingSearchIsRunOnToItsEndAndAFinishedOneCostsNothing() {
        Job job = JobParser.parse(JOB, "eta");
        Cell c = job.cells().get(0);
        SearchState s = WidthSearch.start(job.search());
        for (int w : new int[] {1, 2, 4, 8}) s = WidthSearch.next(s, w, false);
        s = WidthSearch.next(s, 16, true); // bisecting (8, 16]
        List<Integer> left = Eta.widthsLeft(c, s);
        // Against a threshold at 12: 12 succeeds, 10 fails, 11 fails, then the audit above 12.
        assertEquals(List.of(12, 10, 11, 13, 15), left);
        Eta.Work w = Eta.left(List.of(new Eta.Open(c, s)), 100, (id, width) -> width == 10);
        assertEquals(4, w.probes(), "a width already recorded costs nothing");
        assertEquals(c.cost(11, 100) + c.cost(12, 100) + c.cost(13, 100) + c.cost(15, 100), w.flops(), 1e-6);
        assertEquals(w.flops(), w.longestCell(), 1e-6);
        assertEquals(w.flops() * 2e-9, Eta.seconds(w, 2e-9, 4), 1e-12, "one cell: its chain, whatever the slots");
    }
}
