package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run leaves beside its Parquet tables and what the read-only commands make of OUT: status
 * agrees with the cells the run wrote, during a run that holds the lease (which it reads and never
 * takes) and after it, writing nothing; a grid grown on the same OUT shows its new cells searching
 * with an estimate of the time left; probes.csv and cells.csv load in Spark's CSV reader with the
 * same rows as the Parquet tables, each carrying tol, budget and the job's name; run.json records
 * the run; compare puts two OUTs' laws side by side as their scaling.json give them.
 */
class StatusTest {
    @Test
    void statusCsvRunJsonAndCompareOnARealRun(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("tiny.yaml");
        Files.writeString(job, JobParserTest.GOOD.replace("steps: 3000", "steps: [1500, 3000]"));
        Path out = dir.resolve("out");
        SweepTest.Ran run = SweepTest.cli("run", job.toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, run.code(), run.err());

        // ---- status after the run agrees with cells.csv: status and m* at each budget.
        SweepTest.Ran st = SweepTest.cli("status", out.toString());
        assertEquals(0, st.code(), st.err());
        assertEquals("", st.err());
        assertTrue(st.out().contains("cells: 4 of 4 done"), st.out());
        assertTrue(st.out().contains("run: none in progress; the last (widthlaw run "), st.out());
        Map<String, String> want = new TreeMap<>();
        List<String> csv = Files.readAllLines(out.resolve("cells.csv"));
        List<String> head = List.of(csv.get(0).split(",", -1));
        Map<String, String> statuses = new HashMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] v = line.split(",", -1);
            String id = v[head.indexOf("cell_id")];
            String m = v[head.indexOf("min_width")];
            want.merge(id, m.isEmpty() ? ">" + v[head.indexOf("max_failed_width")] : m, (a, b) -> a + " " + b);
            statuses.merge(id, v[head.indexOf("status")], (a, b) -> a.equals(b) ? a : a + "/" + b);
        }
        Map<String, String> got = new TreeMap<>();
        for (String line : st.out().lines().toList()) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 6 && want.containsKey(w[0])) {
                got.put(w[0], w[2] + " " + w[3]);
                assertEquals(statuses.get(w[0]), w[1], line);
            }
        }
        assertEquals(want, got, st.out());

        // ---- during a run: a live lease of another host is read, not taken; nothing changes.
        Files.writeString(
                out.resolve(ResultsStore.LOCK),
                LeaseTest.OTHER + " expires=" + (System.currentTimeMillis() + 3_600_000));
        Map<String, String> before = snapshot(out);
        SweepTest.Ran during = SweepTest.cli("status", out.toString());
        assertEquals(0, during.code(), during.err());
        assertTrue(
                during.out().contains("run: in progress (host=elsewhere.example pid=4242; lease expires in"),
                during.out());
        assertEquals(before, snapshot(out), "status writes nothing and leaves the lease as it is");

        // ---- a grid grown on the same OUT (the hash leaves the grid out): new cells are searching, with an ETA.
        String storedJob = Files.readString(out.resolve("job.yaml"));
        String grown = storedJob.replace("  - 16\n", "  - 16\n  - 24\n");
        assertTrue(grown.length() > storedJob.length(), storedJob);
        Files.writeString(out.resolve("job.yaml"), grown);
        SweepTest.Ran more = SweepTest.cli("status", out.toString());
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().contains("cells: 4 of 6 done"), more.out());
        assertTrue(more.out().contains("n24-s0  searching"), more.out());
        assertTrue(more.out().matches("(?s).*ETA ~\\d+.*probes? to go.*"), more.out());
        Files.writeString(out.resolve("job.yaml"), storedJob);
        Files.delete(out.resolve(ResultsStore.LOCK));

        // ---- probes.csv and cells.csv: Spark's CSV reader gives the Parquet tables' rows, with tol, budget, job.
        try (SparkSession spark = Sparks.session("csv", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, out.toString())) {
            var probes = spark.read()
                    .option("header", "true")
                    .option("inferSchema", "true")
                    .csv(out.resolve("probes.csv").toString());
            assertEquals(List.of(Tables.PROBES.schema().fieldNames()), List.of(probes.columns()));
            Map<String, ProbeRecord> stored = store.readProbes();
            assertEquals(stored.size(), probes.count());
            for (Row r : probes.collectAsList()) {
                ProbeRecord p = stored.get(r.<String>getAs("probe_id"));
                assertEquals(p.result().width(), (int) r.<Integer>getAs("width"));
                assertEquals(p.result().relLoss(), r.<Double>getAs("rel_loss"), 0.0, "rel_loss to the bit");
                assertEquals(1e-4, r.<Double>getAs("tol"), 0.0);
                assertEquals(3000, (int) r.<Integer>getAs("budget"));
                assertEquals("tiny", r.getAs("job"));
            }
            var cells = spark.read()
                    .option("header", "true")
                    .option("inferSchema", "true")
                    .csv(out.resolve("cells.csv").toString());
            assertEquals(8, cells.count(), "4 cells x 2 budgets");
            assertEquals(2, cells.select("budget").distinct().count());
            assertEquals(0, cells.filter("tol != 1.0E-4 or job != 'tiny'").count());
            assertEquals(
                    0,
                    spark.read()
                            .parquet(out.resolve("cells").toString())
                            .filter("job is null")
                            .count());
        }

        // ---- run.json: when, what, which build, where.
        JsonNode runs =
                JobParser.JSON.readTree(out.resolve("run.json").toFile()).get("runs");
        assertEquals(1, runs.size());
        JsonNode r = runs.get(0);
        assertTrue(Instant.parse(r.get("started").asText())
                .isBefore(Instant.parse(r.get("finished").asText()).plusSeconds(1)));
        assertTrue(r.get("command").asText().startsWith("widthlaw run " + job), r.toString());
        assertEquals("done", r.get("outcome").asText());
        assertEquals(org.widthlaw.lib.Version.version(), r.get("version").asText());
        assertEquals(2, r.get("slots").asInt());
        for (String f : List.of("host", "os", "cpu", "java", "commit", "master", "job_hash"))
            assertFalse(r.get(f).asText().isEmpty(), f);

        // ---- compare: both OUTs' laws, as their scaling.json give them.
        Path copy = dir.resolve("copy");
        copyTree(out, copy);
        SweepTest.Ran cmp = SweepTest.cli("compare", out.toString(), copy.toString());
        assertEquals(0, cmp.code(), cmp.err());
        JsonNode g = JobParser.JSON
                .readTree(out.resolve("scaling.json").toFile())
                .get("groups")
                .get(0);
        String alpha = String.format(
                java.util.Locale.ROOT,
                "%.3f [%.3f, %.3f]",
                g.get("power").get("alpha").asDouble(),
                g.get("power").get("alpha_ci95").get(0).asDouble(),
                g.get("power").get("alpha_ci95").get(1).asDouble());
        assertTrue(cmp.out().contains("\n  tiny    " + alpha), cmp.out());
        assertTrue(cmp.out().contains("\n  tiny#2  " + alpha), cmp.out());
        assertTrue(cmp.out().contains(", T=1500\n") && cmp.out().contains(", T=3000\n"), cmp.out());
    }

    static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(
                        root.relativize(p).toString(),
                        Files.isDirectory(p)
                                ? "dir"
                                : Files.size(p) + "/" + Files.getLastModifiedTime(p) + "/"
                                        + java.util.Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
