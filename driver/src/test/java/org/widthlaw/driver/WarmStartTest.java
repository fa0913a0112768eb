package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.train.ProbeResult;

/**
 * Warm-started brackets on real probes (docs/METHOD.md section 5): the same job searched cold and
 * warm. Every warm bracket is closed by a recorded failure just below m* and the recorded success at
 * m*; where the two searches disagree, the recorded probes show that success is not monotone in the
 * width in that cell (a success below a failure), the only way they can; the warm searches use fewer
 * probes; and the warm run's cells repeat on local[1].
 */
class WarmStartTest {
    static final String JOB = """
            name: warm
            data: { kind: sphere, d: 10, labels: random }
            model: { arch: two-layer, trained: hidden, activation: relu }
            grid: { depth: [2], n: [40, 80], seeds: 3 }
            search: { min_width: 1, max_width: 4096, resolution: 1, audit: false, warm_start: WARM }
            train: { steps: 8000, tol: 1.0e-4, lr: auto, precision: float64 }
            """;

    static Map<String, CellResult> cells(Path out) throws Exception {
        try (SparkSession spark = Sparks.session("read", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, out.toString())) {
            Map<String, CellResult> t = new TreeMap<>();
            for (CellResult c : store.readCells()) t.put(c.cellId(), c);
            return t;
        }
    }

    static Path run(Path dir, String name, boolean warm, String master) throws Exception {
        Path job = dir.resolve(name + ".yaml");
        Files.writeString(job, JOB.replace("WARM", Boolean.toString(warm)));
        Path out = dir.resolve(name);
        SweepTest.Ran r = SweepTest.cli("run", job.toString(), "--master", master, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        return out;
    }

    /** For every cell, width to success within {@code budget}, from the probes of the given OUTs. */
    static Map<String, Map<Integer, Boolean>> outcomes(int budget, Path... outs) throws Exception {
        Map<String, Map<Integer, Boolean>> t = new TreeMap<>();
        try (SparkSession spark = Sparks.session("read", "local[1]", Map.of())) {
            for (Path out : outs) {
                try (ResultsStore store = new ResultsStore(spark, out.toString())) {
                    for (ProbeRecord p : store.readProbes().values()) {
                        ProbeResult r = p.result();
                        t.computeIfAbsent(r.cellId(), k -> new TreeMap<>())
                                .put(r.width(), r.successAt(budget).orElseThrow());
                    }
                }
            }
        }
        return t;
    }

    @Test
    void warmSearchesCloseTheirBracketsOnRecordsAndDifferOnlyWhereSuccessIsNotMonotone(@TempDir Path dir)
            throws Exception {
        Path coldOut = run(dir, "cold", false, "local[2]");
        Path warmOut = run(dir, "warm", true, "local[2]");
        Map<String, CellResult> cold = cells(coldOut), warm = cells(warmOut);
        Map<String, Map<Integer, Boolean>> seen = outcomes(8000, coldOut, warmOut);
        assertEquals(cold.keySet(), warm.keySet());
        int coldProbes = 0, warmProbes = 0;
        for (String id : cold.keySet()) {
            CellResult c = cold.get(id), w = warm.get(id);
            coldProbes += c.probes();
            warmProbes += w.probes();
            Map<Integer, Boolean> at = seen.get(id);
            int m = w.minWidth().orElseThrow();
            assertEquals(Boolean.TRUE, at.get(m), id + ": m* " + m + " is a recorded success");
            if (m > 1) assertEquals(Boolean.FALSE, at.get(m - 1), id + ": m* - 1 is a recorded failure");
            if (c.minWidth().equals(w.minWidth())) continue;
            boolean successBelowAFailure = at.entrySet().stream()
                    .anyMatch(a -> a.getValue()
                            && at.entrySet().stream().anyMatch(b -> !b.getValue() && b.getKey() > a.getKey()));
            assertTrue(
                    successBelowAFailure,
                    id + ": the searches differ (" + c.minWidth() + ", " + w.minWidth() + ") on monotone records "
                            + at);
        }
        assertTrue(warmProbes < coldProbes, "probes: warm " + warmProbes + ", cold " + coldProbes);
        // Which cell starts from which is a function of the grid: the warm cells repeat on one slot.
        Map<String, CellResult> again = cells(run(dir, "warm1", true, "local[1]"));
        for (String id : warm.keySet()) {
            CellResult a = warm.get(id), b = again.get(id);
            assertEquals(
                    List.of(a.minWidth(), a.maxFailedWidth(), a.status(), a.probes()),
                    List.of(b.minWidth(), b.maxFailedWidth(), b.status(), b.probes()),
                    id);
        }
    }
}
