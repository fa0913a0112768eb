package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults, with real processes: a driver killed with SIGKILL mid-sweep and resumed, and two runs
 * started together on one output. Each run is a separate JVM started like the launcher does. Each
 * fault is tried twice: with generated data, and with a CSV named by a {@code file:} URI (read by
 * the driver and shipped).
 */
class FaultIT {
    static final String JOB = """
            name: faults
            data: DATA
            model: { arch: two-layer, trained: hidden, activation: relu }
            grid: { depth: [2], n: [32, 64, 96, 128], seeds: 2 }
            search: { min_width: 1, max_width: 256, resolution: 1, audit: false }
            train: { steps: 20000, tol: 1.0e-4, lr: auto, precision: float64 }
            """;

    /** The two kinds of data every fault is tried with. */
    static final String SPHERE = "sphere", CSV_URI = "csv-uri";

    /**
     * Writes the fault job into {@code dir}: sphere data on S^4, or 128 rows of 5 features on the
     * unit sphere and a uniform label in a CSV beside it (as hard to fit as the sphere job), named by
     * its {@code file:} URI. Returns the job file.
     */
    static Path job(Path dir, String data) throws Exception {
        String spec = "{ kind: sphere, d: 5, labels: random }";
        if (data.equals(CSV_URI)) {
            Path csv = dir.resolve("points.csv");
            Files.writeString(csv, sphereCsv(128, 5, 5));
            spec = "{ kind: csv, path: " + csv.toUri() + ", header: false }";
        }
        Path job = dir.resolve("faults.yaml");
        Files.writeString(job, JOB.replace("DATA", spec));
        return job;
    }

    static Process start(Path job, Path out, Path log) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String f : System.getProperty("widthlaw.jvm.flags", "").split(" ")) if (!f.isBlank()) cmd.add(f);
        cmd.addAll(List.of(
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                "org.widthlaw.driver.Main",
                "run",
                job.toString(),
                "--master",
                "local[2]",
                "--out",
                out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    /** n rows: d Gaussian features scaled to unit length, then a label uniform in [-1, 1). */
    static String sphereCsv(int n, int d, long seed) {
        java.util.Random rng = new java.util.Random(seed);
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double[] x = new double[d];
            double norm = 0;
            for (int j = 0; j < d; j++) norm += (x[j] = rng.nextGaussian()) * x[j];
            for (int j = 0; j < d; j++)
                rows.append(String.format(java.util.Locale.ROOT, "%.9f,", x[j] / Math.sqrt(norm)));
            rows.append(String.format(java.util.Locale.ROOT, "%.9f%n", 2 * rng.nextDouble() - 1));
        }
        return rows.toString();
    }

    static long parquetFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .count();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SPHERE, CSV_URI})
    void aKilledDriverResumesWithoutRetrainingAndEndsWithTheSameResults(String data, @TempDir Path dir)
            throws Exception {
        Path job = job(dir, data);
        Path reference = dir.resolve("reference");
        SweepTest.Ran ref = SweepTest.cli("run", job.toString(), "--master", "local[2]", "--out", reference.toString());
        assertEquals(0, ref.code(), ref.err());
        Map<String, String> refProbes = SweepTest.table(reference, "probes");

        Path out = dir.resolve("out");
        Process p = start(job, out, dir.resolve("killed.log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (parquetFiles(out.resolve("probes")) < 1 && p.isAlive() && System.nanoTime() < deadline)
            Thread.sleep(100);
        assertTrue(
                p.isAlive(), "the run ended before it could be killed: " + Files.readString(dir.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(out.resolve(ResultsStore.LOCK)), "the killed run left its lock behind");
        Map<String, String> before = SweepTest.table(out, "probes");
        assertTrue(
                !before.isEmpty() && before.size() < refProbes.size(),
                "killed mid-sweep: " + before.size() + " of " + refProbes.size());

        SweepTest.Ran resumed = SweepTest.cli("run", job.toString(), "--master", "local[2]", "--out", out.toString());
        assertEquals(0, resumed.code(), resumed.err());
        Map<String, String> after = SweepTest.table(out, "probes");
        assertEquals(
                before.size(), SweepTest.assertSameWhereShared(before, after), "recorded probes are kept as they were");
        assertEquals(after.size(), SweepTest.rawProbeCount(out), "no probe trained twice: every probe_id once");
        assertTrue(
                SweepTest.assertSameWhereShared(refProbes, after) >= used(reference),
                "every probe the reference's searches used is recorded after the resume, with the same bits");
        assertEquals(SweepTest.table(reference, "cells"), SweepTest.table(out, "cells"));
    }

    @ParameterizedTest
    @ValueSource(strings = {SPHERE, CSV_URI})
    void twoRunsOnOneOutputNeverDuplicateRows(String data, @TempDir Path dir) throws Exception {
        Path job = job(dir, data);
        Path out = dir.resolve("out");
        Process a = start(job, out, dir.resolve("a.log"));
        Process b = start(job, out, dir.resolve("b.log"));
        assertTrue(a.waitFor(600, TimeUnit.SECONDS) && b.waitFor(600, TimeUnit.SECONDS), "the two runs did not end");
        String la = Files.readString(dir.resolve("a.log")), lb = Files.readString(dir.resolve("b.log"));
        int ca = a.exitValue(), cb = b.exitValue();
        assertTrue(
                (ca == 0 && cb == 3) || (ca == 3 && cb == 0) || (ca == 0 && cb == 0),
                "exit codes " + ca + ", " + cb + "\n" + la + "\n" + lb);
        String refused = ca == 3 ? la : cb == 3 ? lb : null;
        if (refused != null) assertTrue(refused.contains("is in use by another run"), refused);
        Path reference = dir.resolve("reference");
        SweepTest.Ran ref = SweepTest.cli("run", job.toString(), "--master", "local[1]", "--out", reference.toString());
        assertEquals(0, ref.code(), ref.err());
        // Raw rows on disk, not de-duplicated: each probe_id at most once; the same numbers and cells.
        Map<String, String> got = SweepTest.table(out, "probes");
        assertEquals(got.size(), SweepTest.rawProbeCount(out), "no duplicate rows");
        assertTrue(
                SweepTest.assertSameWhereShared(SweepTest.table(reference, "probes"), got) >= used(reference),
                "every probe the reference's searches used is recorded, with the same bits");
        assertEquals(SweepTest.table(reference, "cells"), SweepTest.table(out, "cells"));
        assertTrue(new File(out.toFile(), ResultsStore.LOCK).exists() == false);
    }

    /** How many probes the cells of an OUT used (the probes column of cells/, summed). */
    static int used(java.nio.file.Path out) throws Exception {
        int used = 0;
        for (String v : SweepTest.table(out, "cells").values()) used += Integer.parseInt(v.split("/")[3]);
        assertTrue(used > 0, "the reference used probes");
        return used;
    }
}
