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
import org.widthlaw.lib.search.CellStatus;

/**
 * Warm-started brackets on real probes (docs/METHOD.md section 5): the same job searched cold and
 * warm finds the same m* and the same failure below it in every cell whose cold search found a
 * monotone threshold, with fewer probes in all; the warm run's cells repeat on local[1].
 */
class WarmStartTest {
    static final String JOB = """
            name: warm
            data: { kind: sphere, d: 10, labels: random }
            model: { arch: two-layer, trained: hidden, activation: relu }
            grid: { depth: [2], n: [40, 80], seeds: 3 }
            search: { min_width: 1, max_width: 4096, resolution: 1, audit: true, warm_start: WARM }
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

    @Test
    void warmAndColdSearchesFindTheSameThresholdsWithFewerProbes(@TempDir Path dir) throws Exception {
        Map<String, CellResult> cold = cells(run(dir, "cold", false, "local[2]"));
        Path warmOut = run(dir, "warm", true, "local[2]");
        Map<String, CellResult> warm = cells(warmOut);
        assertEquals(cold.keySet(), warm.keySet());
        int compared = 0, coldProbes = 0, warmProbes = 0;
        for (String id : cold.keySet()) {
            CellResult c = cold.get(id), w = warm.get(id);
            coldProbes += c.probes();
            warmProbes += w.probes();
            if (c.status() != CellStatus.FOUND) continue; // monotonicity is what makes the two agree
            compared++;
            assertEquals(c.minWidth(), w.minWidth(), id);
            assertEquals(c.maxFailedWidth(), w.maxFailedWidth(), id);
            assertEquals(CellStatus.FOUND, w.status(), id);
        }
        assertTrue(compared >= 4, "cells with a monotone threshold: " + compared);
        assertTrue(warmProbes < coldProbes, "probes: warm " + warmProbes + ", cold " + coldProbes);
        // The first seed of each n searches cold in both runs; warm starts depend on the grid only.
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
