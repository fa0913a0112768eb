package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.train.ProbeResult;

/** End to end on Spark local[1] and local[2]: run, resume, determinism, and refusing a foreign OUT. */
class SweepTest {
    record Ran(int code, String out, String err) {}

    static Ran cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Map<String, String> table(Path out, String what) throws Exception {
        try (SparkSession spark = Sparks.session("read", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, out.toString())) {
            Map<String, String> t = new TreeMap<>();
            if (what.equals("cells")) {
                for (CellResult c : store.readCells()) {
                    t.put(
                            c.cellId(),
                            c.minWidth() + "/" + c.maxFailedWidth() + "/"
                                    + c.status().id() + "/" + c.probes() + "/"
                                    + c.stats().lambda0());
                }
            } else {
                for (ProbeRecord p : store.readProbes().values()) {
                    ProbeResult r = p.result();
                    t.put(
                            r.probeId(),
                            r.status() + "/" + r.steps() + "/" + Double.doubleToRawLongBits(r.relLoss()) + "/"
                                    + r.lr());
                }
            }
            return t;
        }
    }

    /**
     * Two runs agree on every probe both recorded (speculative probes, trained ahead when slots are
     * idle, may differ in which widths a run trained, never in a probe's numbers). Returns how many
     * they share.
     */
    static int assertSameWhereShared(Map<String, String> a, Map<String, String> b) {
        int shared = 0;
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (!b.containsKey(e.getKey())) continue;
            assertEquals(e.getValue(), b.get(e.getKey()), "probe " + e.getKey());
            shared++;
        }
        return shared;
    }

    /** Probe rows as written, before any de-duplication. */
    static long rawProbeCount(Path out) throws Exception {
        try (SparkSession spark = Sparks.session("read", "local[1]", Map.of())) {
            return spark.read().parquet(out.resolve("probes").toString()).count();
        }
    }

    /**
     * train.loss as a list: a squared-only job grown by cross-entropy on the same OUT reuses every squared
     * probe, trains the cross-entropy cells as a group of their own (loss column, scaling.json field,
     * title), and early-stops squared probes only.
     */
    @Test
    void aListOfLossesRunsOneGroupPerLossAndReusesTheSquaredCells(@TempDir Path dir) throws Exception {
        String squaredJob = JobParserTest.GOOD
                .replace("labels: random", "labels: teacher-class")
                .replace("seeds: 2", "seeds: 1");
        Path job = dir.resolve("squared.yaml");
        Files.writeString(job, squaredJob);
        Path out = dir.resolve("out");
        Ran squared = cli("run", job.toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, squared.code(), squared.err());
        Map<String, String> squaredCells = table(out, "cells");
        assertEquals(2, squaredCells.size());

        Path both = dir.resolve("both.yaml");
        Files.writeString(
                both, squaredJob.replace("precision: float64", "precision: float64, loss: [squared, cross-entropy]"));
        Ran grown = cli("run", both.toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, grown.code(), grown.err());
        assertFalse(grown.err().contains(" 0 reused"), grown.err());
        assertTrue(grown.out().contains("relu loss=cross-entropy, T=3000: 2 cells"), grown.out());
        assertTrue(grown.out().contains("relu, T=3000: 2 cells"), grown.out());
        Map<String, String> cells = table(out, "cells");
        assertEquals(4, cells.size());
        for (Map.Entry<String, String> e : squaredCells.entrySet())
            assertEquals(e.getValue(), cells.get(e.getKey()), "the squared cells are as before: " + e.getKey());

        List<String> rows = Files.readAllLines(out.resolve("cells.csv"));
        assertTrue(rows.get(0).endsWith(",loss"), rows.get(0));
        for (String row : rows.subList(1, rows.size())) {
            String loss = row.substring(row.lastIndexOf(',') + 1);
            assertEquals(row.contains("-cross-entropy-n") ? "cross-entropy" : "squared", loss, row);
        }
        JsonNode groups =
                JobParser.JSON.readTree(out.resolve("scaling.json").toFile()).get("groups");
        Set<String> losses = new HashSet<>();
        for (JsonNode g : groups) losses.add(g.get("loss").asText());
        assertEquals(Set.of("squared", "cross-entropy"), losses);
        try (SparkSession spark = Sparks.session("read", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, out.toString())) {
            int classification = 0;
            for (ProbeRecord p : store.readProbes().values()) {
                if (p.cell().group().loss().classification() && ++classification > 0)
                    assertFalse(
                            p.result().status() == org.widthlaw.lib.train.ProbeStatus.EARLY_FAIL,
                            "no early stop for cross-entropy: " + p.result().probeId());
            }
            assertTrue(classification > 0, "the loss column reads back");
        }
    }

    @Test
    void runsResumesAndIsTheSameOnOneAndTwoCores(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("tiny.yaml");
        Files.writeString(job, JobParserTest.GOOD);
        Path out2 = dir.resolve("out2");
        Ran first = cli("run", job.toString(), "--master", "local[2]", "--out", out2.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("linear: P* ="), first.out());
        assertTrue(first.err().contains("[widthlaw] recorded "), first.err());
        for (String f : List.of("job.yaml", "probes", "cells", "cells.csv", "scaling.json", "scaling.csv")) {
            assertTrue(Files.exists(out2.resolve(f)), f);
        }
        assertFalse(Files.exists(out2.resolve(ResultsStore.LOCK)), "the lock is released");

        Map<String, String> probes = table(out2, "probes");
        Map<String, String> cells = table(out2, "cells");
        assertEquals(4, cells.size());
        int used = 0;
        for (String v : cells.values()) {
            assertTrue(v.contains("/found/"), v);
            used += Integer.parseInt(v.split("/")[3]);
        }
        assertTrue(used <= probes.size(), "every probe a cell used is recorded");
        assertEquals(probes.size(), rawProbeCount(out2), "once");

        // The re-run trains nothing and gives the same cells.
        Ran again = cli("run", job.toString(), "--master", "local[2]", "--out", out2.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 probes trained (0 GD steps), " + used + " reused"), again.err());
        assertEquals(probes, table(out2, "probes"));
        assertEquals(cells, table(out2, "cells"));

        // local[1] (one slot: no probes trained ahead) gives the same cells and the same probe bits.
        Path out1 = dir.resolve("out1");
        Ran one = cli("run", job.toString(), "--master", "local[1]", "--out", out1.toString());
        assertEquals(0, one.code(), one.err());
        assertEquals(cells, table(out1, "cells"));
        Map<String, String> probes1 = table(out1, "probes");
        assertEquals(used, probes1.size(), "with one slot, exactly the probes the searches use");
        assertEquals(
                used,
                assertSameWhereShared(probes1, probes),
                "local[2] recorded every probe local[1] did, with the same bits");

        JsonNode s = JobParser.JSON.readTree(out2.resolve("scaling.json").toFile());
        JsonNode g = s.get("groups").get(0);
        assertEquals("two-layer", g.get("arch").asText());
        assertEquals(4, g.get("points").size());
        assertTrue(g.get("power").get("alpha_ci95").isArray());
        assertEquals(
                s.get("groups"),
                JobParser.JSON.readTree(out1.resolve("scaling.json").toFile()).get("groups"));

        // fit OUT refits from stored cells to the same numbers.
        String before = Files.readString(out2.resolve("scaling.json"));
        Ran fit = cli("fit", out2.toString());
        assertEquals(0, fit.code(), fit.err());
        assertEquals(before, Files.readString(out2.resolve("scaling.json")));

        // A job with another recipe refuses this OUT and writes nothing.
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, JobParserTest.GOOD.replace("steps: 3000", "steps: 2500"));
        String jobYaml = Files.readString(out2.resolve("job.yaml"));
        Ran refused = cli("run", other.toString(), "--master", "local[1]", "--out", out2.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().strip().startsWith("widthlaw: output: "), refused.err());
        assertTrue(refused.err().contains("holds results of job hash"), refused.err());
        assertEquals(jobYaml, Files.readString(out2.resolve("job.yaml")));

        // A grown grid trains only the new cells' probes.
        Path grown = dir.resolve("grown.yaml");
        Files.writeString(grown, JobParserTest.GOOD.replace("n: [8, 16]", "n: [8, 16, 24]"));
        Ran more = cli("run", grown.toString(), "--master", "local[2]", "--out", out2.toString());
        assertEquals(0, more.code(), more.err());
        Map<String, String> after = table(out2, "probes");
        Set<String> old = new HashSet<>(probes.keySet());
        assertTrue(after.keySet().containsAll(old));
        assertEquals(probes.size(), assertSameWhereShared(probes, after));
        assertTrue(more.err().contains(used + " reused"), more.err());
        assertEquals(6, table(out2, "cells").size());
    }

    /**
     * The job hash covers the data's bytes and the trainer's numerics version, not the data's path:
     * the same job and file resume from another folder; other bytes under the same name, or an OUT
     * made by other numerics, are refused with exit 2, saying why, and nothing is written.
     */
    @Test
    void staleResultsCannotBeReused(@TempDir Path dir) throws Exception {
        String rows = randomCsv(12, 4);
        String jobText = """
                name: csvjob
                data: { kind: csv, d: 3, path: points.csv }
                model: { arch: two-layer }
                grid: { n: [6, 12], seeds: 1 }
                search: { min_width: 1, max_width: 64, audit: false }
                train: { steps: 2000, early_stop: false }
                """;
        Path a = Files.createDirectories(dir.resolve("a"));
        Files.writeString(a.resolve("points.csv"), rows);
        Files.writeString(a.resolve("job.yaml"), jobText);
        Path out = dir.resolve("out");
        Ran first = cli("run", a.resolve("job.yaml").toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(0, first.code(), first.err());
        Map<String, String> probes = table(out, "probes");

        // The same job and bytes in another folder (another checkout): resumed, nothing trained.
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(b.resolve("points.csv"), rows);
        Files.writeString(b.resolve("job.yaml"), jobText);
        Ran moved = cli("run", b.resolve("job.yaml").toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(0, moved.code(), moved.err());
        assertTrue(moved.err().contains("0 probes trained"), moved.err());
        assertEquals(probes, table(out, "probes"));

        // Other bytes under the same name: refused, saying the data content differs.
        String jobYaml = Files.readString(out.resolve("job.yaml"));
        Files.writeString(b.resolve("points.csv"), rows.replaceFirst("\\d(?=,)", "7"));
        Ran changed = cli("run", b.resolve("job.yaml").toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(2, changed.code(), changed.err());
        assertTrue(changed.err().contains("data content"), changed.err());
        assertEquals(jobYaml, Files.readString(out.resolve("job.yaml")), "nothing written");

        // An OUT made by other numerics (as its job.yaml records them): refused, saying so.
        Files.writeString(b.resolve("points.csv"), rows);
        Files.writeString(
                out.resolve("job.yaml"),
                jobYaml.replace("numerics: " + org.widthlaw.lib.train.Numerics.VERSION, "numerics: 1")
                        .replaceFirst("hash: .*", "hash: 00000000000000aa"));
        Ran numerics = cli("run", b.resolve("job.yaml").toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(2, numerics.code(), numerics.err());
        assertTrue(numerics.err().contains("numerics version 1"), numerics.err());
        assertEquals(table(out, "probes"), probes, "nothing trained");
    }

    /** The small files of a run's flushes are merged at its end into one, losing no row. */
    @Test
    void probesAreCompactedAtTheEndOfARun(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("tiny.yaml");
        Files.writeString(job, JobParserTest.GOOD.replace("n: [8, 16]", "n: [8]"));
        Path out = dir.resolve("out");
        Ran first = cli("run", job.toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(0, first.code(), first.err());
        Map<String, String> probes = table(out, "probes");
        long rows = rawProbeCount(out);
        // More files than the threshold: write each recorded row again as its own file.
        try (SparkSession spark = Sparks.session("split", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, out.toString())) {
            for (ProbeRecord r : store.readProbes().values()) store.appendProbes(List.of(r));
            assertTrue(parquetFiles(out) > ResultsStore.compactAbove(), "the case has many files");
            assertEquals(probes.size(), store.readProbes().size());
            int merged = store.compactProbes();
            assertTrue(merged > ResultsStore.compactAbove(), "merged " + merged);
        }
        assertEquals(1, parquetFiles(out), "one file left");
        assertEquals(2 * rows, rawProbeCount(out), "every row kept, the rewritten ones too");
        assertEquals(probes, table(out, "probes"), "and read once each, with the same numbers");
    }

    @Test
    void aCnnJobRunsEndToEnd(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("cnn.yaml");
        Files.writeString(
                job,
                JobParserTest.GOOD
                        .replace("n: [8, 16]", "n: [8]")
                        .replace("model: { arch: two-layer,", "model: { arch: cnn, kernel: 3,"));
        Path out = dir.resolve("out");
        Ran r = cli("run", job.toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, String> cells = table(out, "cells");
        assertEquals(2, cells.size(), cells.toString());
        for (Map.Entry<String, String> c : cells.entrySet()) {
            assertTrue(c.getKey().startsWith("cnn-L2-d5-"), c.getKey());
            assertTrue(c.getValue().contains("/found/"), c.toString());
        }
        String scaling = Files.readString(out.resolve("scaling.json"));
        assertTrue(scaling.contains("\"arch\" : \"cnn\""), scaling);
    }

    /**
     * An SGD job (fc and cnn, minibatches of 4 of n = 8 and 12): the same cells and probe bits on
     * one and two slots, a report that counts epochs, and a budget ladder grown on the same OUT that
     * continues the recorded failures from their checkpoints.
     */
    @Test
    void anSgdJobIsTheSameOnOneAndTwoSlotsAndGrowsItsLadder(@TempDir Path dir) throws Exception {
        String text = JobParserTest.GOOD
                .replace("n: [8, 16]", "n: [8, 12]")
                .replace("seeds: 2", "seeds: 1")
                .replace("model: { arch: two-layer,", "model: { arch: [fc, cnn], kernel: 3,")
                .replace("steps: 3000", "steps: 200")
                .replace("precision: float64", "precision: float64, optimizer: sgd, batch: 4");
        Path job = dir.resolve("sgd.yaml");
        Files.writeString(job, text);
        Path out2 = dir.resolve("out2"), out1 = dir.resolve("out1");
        Ran two = cli("run", job.toString(), "--master", "local[2]", "--out", out2.toString());
        assertEquals(0, two.code(), two.err());
        assertTrue(two.err().contains(" SGD epochs), "), two.err());
        Ran one = cli("run", job.toString(), "--master", "local[1]", "--out", out1.toString());
        assertEquals(0, one.code(), one.err());
        Map<String, String> cells = table(out2, "cells");
        assertEquals(4, cells.size(), cells.toString());
        assertEquals(cells, table(out1, "cells"));
        Map<String, String> probes1 = table(out1, "probes");
        assertEquals(probes1.size(), assertSameWhereShared(probes1, table(out2, "probes")));
        String report = Files.readString(out2.resolve("report.html"));
        assertTrue(report.contains("SGD, minibatches of 4 (a step is an epoch)"), "the report names the optimizer");

        Set<String> before = table(out2, "probes").keySet();
        Files.writeString(job, text.replace("steps: 200", "steps: [200, 2000]"));
        Ran grown = cli("run", job.toString(), "--master", "local[2]", "--out", out2.toString());
        assertEquals(0, grown.code(), grown.err());
        int continued = 0;
        long epochs = 0;
        try (SparkSession spark = Sparks.session("read", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, out2.toString())) {
            for (ProbeRecord p : store.readProbes().values()) {
                org.widthlaw.lib.train.ProbeResult r = p.result();
                if (r.resumedFrom() > 0) continued++;
                if (r.resumedFrom() > 0 || !before.contains(r.probeId())) epochs += r.steps() - r.resumedFrom();
            }
        }
        assertTrue(continued > 0, "failures at 200 epochs were continued, not retrained");
        // The run counts the epochs it trained, not those of the run a continued probe began in.
        assertTrue(grown.err().contains("trained (" + epochs + " SGD epochs)"), epochs + "\n" + grown.err());
        String laddered = Files.readString(out2.resolve("report.html"));
        assertTrue(laddered.contains(": step budgets</h2>"), "the ladder's plots, for fc and cnn groups");
        assertTrue(laddered.contains("step budget T (SGD epochs)"), "its axes count epochs");
        assertTrue(Files.exists(out2.resolve("plots").resolve("b1-cnn-L2-mstar-vs-budget.svg")), "cnn's ladder plot");
    }

    static long parquetFiles(Path out) throws Exception {
        try (java.util.stream.Stream<Path> s = Files.list(out.resolve("probes"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .count();
        }
    }

    /** A CSV of {@code n} rows: three features and a label, uniform in [-1, 1], from {@code seed}. */
    static String randomCsv(int n, long seed) {
        StringBuilder rows = new StringBuilder();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            rows.append(String.format(
                    java.util.Locale.ROOT,
                    "%.6f,%.6f,%.6f,%.6f%n",
                    rng.nextDouble(-1, 1),
                    rng.nextDouble(-1, 1),
                    rng.nextDouble(-1, 1),
                    rng.nextDouble(-1, 1)));
        }
        return rows.toString();
    }
}
