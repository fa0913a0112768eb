package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeStatus;

/**
 * A budget ladder end to end: every rung's m* is what a run at that single budget finds, m*(T) never
 * grows with T, and a ladder grown on an existing OUT trains only what the new rung needs.
 */
class LadderTest {
    static final String JOB = JobParserTest.GOOD.replace("steps: 3000", "steps: STEPS, early_stop: false");

    /** (cell id, budget) to "m* / status", as stored in OUT/cells. */
    static Map<String, String> cells(Path out) throws Exception {
        try (SparkSession spark = Sparks.session("read", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, out.toString())) {
            Map<String, String> t = new TreeMap<>();
            for (CellResult c : store.readCells()) {
                t.put(
                        c.cellId() + "@" + c.budget(),
                        c.minWidth() + "/" + c.status().id());
            }
            return t;
        }
    }

    /** The recorded probes by id. */
    static Map<String, ProbeResult> probes(Path out) throws Exception {
        try (SparkSession spark = Sparks.session("read", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, out.toString())) {
            Map<String, ProbeResult> t = new TreeMap<>();
            store.readProbes().forEach((id, p) -> t.put(id, p.result()));
            return t;
        }
    }

    /** m* of a cells() value; an unreached cell as no bound at all. */
    static int mStar(String v) {
        return v.contains("empty") ? Integer.MAX_VALUE : Integer.parseInt(v.replaceAll("\\D*(\\d+).*", "$1"));
    }

    static SweepTest.Ran run(Path dir, String name, String steps, Path out) throws Exception {
        Path job = dir.resolve(name + ".yaml");
        Files.writeString(job, JOB.replace("STEPS", steps));
        SweepTest.Ran r = SweepTest.cli("run", job.toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        return r;
    }

    @Test
    void eachRungIsASingleBudgetRunAndAGrownLadderTrainsOnlyWhatItNeeds(@TempDir Path dir) throws Exception {
        Path ladder = dir.resolve("ladder");
        run(dir, "ladder", "[150, 3000]", ladder);
        Map<String, String> both = cells(ladder);
        assertEquals(8, both.size(), "4 cells x 2 budgets");

        Path low = dir.resolve("low");
        run(dir, "low", "150", low);
        Path high = dir.resolve("high");
        run(dir, "high", "3000", high);
        Map<String, String> expect = new TreeMap<>(cells(low));
        expect.putAll(cells(high));
        assertEquals(expect, both, "every rung is what a single-budget search finds");
        for (Map.Entry<String, String> e : both.entrySet()) {
            if (!e.getKey().endsWith("@150")) continue;
            String lo = e.getValue(), hi = both.get(e.getKey().replace("@150", "@3000"));
            int mLo = mStar(lo);
            int mHi = mStar(hi);
            assertTrue(mHi <= mLo, "m*(T) never grows with T: " + e.getKey());
        }

        // Grow the single budget 150 into the ladder on the same OUT: only the failures at 150 are
        // trained on, continued from their checkpoints, and the cells and probes are those of the
        // fresh ladder run, bit for bit.
        Map<String, ProbeResult> before = probes(low);
        SweepTest.Ran grown = run(dir, "low", "[150, 3000]", low);
        assertEquals(both, cells(low));
        Map<String, ProbeResult> after = probes(low), straight = probes(ladder);
        int continued = 0;
        long stepsGrown = 0, stepsStraight = 0;
        for (ProbeResult g : after.values()) {
            ProbeResult old = before.get(g.probeId());
            if (old == null || old.budget() == 3000) continue; // trained in the second run alone, or untouched
            if (g.budget() == 150) continue; // a success at 150, or not needed by the ladder
            assertEquals(ProbeStatus.FAIL, old.status());
            assertEquals(150, g.resumedFrom(), "continued from its checkpoint, not from step 0: " + g.probeId());
            continued++;
            stepsGrown += g.steps() - g.resumedFrom();
            ProbeResult s = straight.get(g.probeId());
            if (s == null) continue; // the straight run did not need this width
            stepsStraight += s.steps();
            assertEquals(s.status(), g.status());
            assertEquals(s.steps(), g.steps());
            assertEquals(Double.doubleToRawLongBits(s.relLoss()), Double.doubleToRawLongBits(g.relLoss()));
            assertArrayEquals(s.curveLoss(), g.curveLoss());
            assertArrayEquals(s.rungLoss(), g.rungLoss());
            assertEquals(s.rate(), g.rate());
            assertEquals(s.trend(), g.trend());
        }
        assertTrue(continued > 0, "the grown ladder continues failures at 150");
        assertTrue(stepsGrown < stepsStraight, stepsGrown + " steps grown vs " + stepsStraight + " straight");
        String done = grown.err()
                .lines()
                .filter(l -> l.contains("[widthlaw] done:"))
                .findFirst()
                .orElseThrow();
        int trained = Integer.parseInt(done.replaceAll(".* (\\d+) probes? trained.*", "$1"));
        int inLadder = SweepTest.table(ladder, "probes").size();
        assertTrue(trained < inLadder, "grown: " + trained + " trained against " + inLadder + " for the ladder alone");
    }
}
