package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A golden run: a quickstart-sized job (two-layer, sphere d = 10, n in {50, 100}, three seeds,
 * T = 20 000) run end to end on local[2] must give the cells.csv and scaling.json pinned in
 * src/test/resources/golden/run. Every integer, word and status must match exactly (m*, the
 * failing width below it, P*, probes per cell, statuses, fits' inputs); floating-point numbers to
 * a relative 1e-9 (lambda0 and the theory ratios derived from it move in their last digits with
 * the BLAS kernel); the training time column is not compared. The golden files were written by
 * the release before the driver's typed restructuring, so this test is what shows that the
 * restructuring, the budget ladder (this job has one budget) and early stop (on by default)
 * changed no result. New columns and fields may be added after the pinned ones.
 *
 * <p>scaling.json was written again when the job hash came to cover the data content and the
 * numerics version: the cells are those of the first release (cells.csv unchanged), and only what
 * follows from the hash and the fit's reporting moved: the bootstrap seed (derived from the hash)
 * and so the intervals; {@code power.c}, now the multiplier e^{log c} (log c = 0.971 is
 * {@code power.log_c}); the verdict, insufficient-data with two values of n. It was written again
 * for numerics version 3 (the hot case's fused step): cells.csv unchanged, and only the job hash,
 * the bootstrap seed derived from it and the power fit's alpha interval moved.
 */
class GoldenRunTest {
    static final Path RUN = Path.of("src/test/resources/golden/run");

    @Test
    void theQuickstartShapedRunGivesThePinnedCellsAndLaw(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        SweepTest.Ran r = SweepTest.cli(
                "run", RUN.resolve("job.yaml").toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertCsvMatches(Files.readAllLines(RUN.resolve("cells.csv")), Files.readAllLines(out.resolve("cells.csv")));
        JsonNode want = JobParser.JSON.readTree(RUN.resolve("scaling.json").toFile());
        JsonNode got = JobParser.JSON.readTree(out.resolve("scaling.json").toFile());
        assertJsonMatches(want.get("groups"), got.get("groups"), "groups");
        assertEquals(want.get("job").get("hash"), got.get("job").get("hash"));
    }

    static void assertCsvMatches(List<String> want, List<String> got) {
        assertEquals(want.size(), got.size(), "rows");
        List<String> header = List.of(want.get(0).split(",", -1));
        List<String> gotHeader = List.of(got.get(0).split(",", -1));
        assertEquals(header, gotHeader.subList(0, header.size()), "columns are added at the end, never renamed");
        for (int i = 1; i < want.size(); i++) {
            String[] w = want.get(i).split(",", -1);
            String[] g = got.get(i).split(",", -1);
            assertEquals(gotHeader.size(), g.length, "row " + i);
            for (int c = 0; c < w.length; c++) {
                if (header.get(c).equals("secs")) continue;
                assertValue(w[c], g[c], "row " + i + " " + header.get(c));
            }
        }
    }

    static void assertValue(String want, String got, String where) {
        if (want.equals(got)) return;
        boolean real = want.contains(".") || want.contains("E");
        assertTrue(real, where + ": " + got + " != " + want);
        double w = Double.parseDouble(want), g = Double.parseDouble(got);
        assertEquals(w, g, 1e-9 * Math.abs(w), where);
    }

    static void assertJsonMatches(JsonNode want, JsonNode got, String path) {
        assertEquals(want.getNodeType(), got.getNodeType(), path);
        if (want.isObject()) {
            assertTrue(fieldNames(got).containsAll(fieldNames(want)), path + ": fields are added, never renamed");
            for (String f : fieldNames(want)) assertJsonMatches(want.get(f), got.get(f), path + "." + f);
        } else if (want.isArray()) {
            assertEquals(want.size(), got.size(), path);
            for (int i = 0; i < want.size(); i++) assertJsonMatches(want.get(i), got.get(i), path + "[" + i + "]");
        } else if (want.isFloatingPointNumber()) {
            assertEquals(want.asDouble(), got.asDouble(), 1e-9 * Math.abs(want.asDouble()), path);
        } else {
            assertEquals(want, got, path);
        }
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
