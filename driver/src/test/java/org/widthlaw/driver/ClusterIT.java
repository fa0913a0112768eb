package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep on the loopback standalone cluster of cluster-conf/bin (master, two workers, authenticated),
 * submitted through SparkSubmit with the slim application jar; one executor JVM is killed mid-sweep.
 * The sweep completes, every probe_id appears exactly once, and the cells equal an undisturbed local run.
 */
class ClusterIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SPARK_HOME = Path.of("target/spark-home-it").toAbsolutePath();

    static ProcessBuilder script(String name, String... args) {
        List<String> cmd = new java.util.ArrayList<>(
                List.of(ROOT.resolve("cluster-conf/bin/" + name).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("WIDTHLAW_SPARK_HOME", SPARK_HOME.toString());
        pb.environment().put("WIDTHLAW_MASTER_PORT", "7177");
        pb.environment().put("WIDTHLAW_MASTER_UI_PORT", "8180");
        return pb;
    }

    @BeforeAll
    static void startCluster() throws Exception {
        Process p = script("standalone-start")
                .redirectErrorStream(true)
                .redirectOutput(SPARK_HOME.resolveSibling("cluster-start.log").toFile())
                .start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "standalone-start timed out");
        assertEquals(0, p.exitValue(), Files.readString(SPARK_HOME.resolveSibling("cluster-start.log")));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        script("standalone-stop").inheritIO().start().waitFor(60, TimeUnit.SECONDS);
    }

    static Optional<ProcessHandle> executor() {
        return ProcessHandle.allProcesses()
                .filter(ph -> ph.info()
                        .commandLine()
                        .map(c -> c.contains("CoarseGrainedExecutorBackend")
                                && c.contains("spark://CoarseGrainedScheduler@127.0.0.1"))
                        .orElse(false))
                .findFirst();
    }

    @Test
    void aSweepSurvivesAKilledExecutor(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("faults.yaml");
        Files.writeString(job, FaultIT.JOB);
        Path out = dir.resolve("cluster");
        Path log = dir.resolve("submit.log");
        Process submit = script("submit", "run", job.toString(), "--out", out.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (FaultIT.parquetFiles(out.resolve("probes")) < 1 && submit.isAlive() && System.nanoTime() < deadline)
            Thread.sleep(200);
        Optional<ProcessHandle> victim = executor();
        assertTrue(victim.isPresent(), "no executor to kill: " + Files.readString(log));
        assertTrue(submit.isAlive(), "the sweep ended before an executor could be killed");
        victim.get().destroyForcibly(); // SIGKILL
        assertTrue(submit.waitFor(600, TimeUnit.SECONDS), "the sweep did not finish");
        assertEquals(0, submit.exitValue(), Files.readString(log));

        Path local = dir.resolve("local");
        SweepTest.Ran ref = SweepTest.cli("run", job.toString(), "--master", "local[2]", "--out", local.toString());
        assertEquals(0, ref.code(), ref.err());
        assertEquals(
                SweepTest.rawProbeCount(out), SweepTest.table(out, "probes").size(), "every probe_id exactly once");
        assertTrue(
                SweepTest.assertSameWhereShared(SweepTest.table(local, "probes"), SweepTest.table(out, "probes")) > 0);
        assertEquals(SweepTest.table(local, "cells"), SweepTest.table(out, "cells"));
    }

    /**
     * Data travels with the work: a CSV named by a {@code file:} URI (which no executor could open as
     * a path of its own) is read once by the driver and broadcast; the file is deleted as soon as the
     * run has claimed OUT, before any executor trains, and the sweep still completes with the cells
     * of a local run.
     */
    @Test
    void theDataIsReadByTheDriverAndShipped(@TempDir Path dir) throws Exception {
        String rows = SweepTest.randomCsv(24, 11);
        Path csv = dir.resolve("points.csv");
        Files.writeString(csv, rows);
        String text = """
                name: shipped
                data: { kind: csv, path: URI }
                model: { arch: two-layer }
                grid: { n: [12, 24], seeds: 2 }
                search: { min_width: 1, max_width: 64, audit: false }
                train: { steps: 3000, early_stop: false }
                """.replace("URI", csv.toUri().toString());
        Path job = dir.resolve("shipped.yaml");
        Files.writeString(job, text);
        Path local = dir.resolve("local");
        SweepTest.Ran ref = SweepTest.cli("run", job.toString(), "--master", "local[2]", "--out", local.toString());
        assertEquals(0, ref.code(), ref.err());

        Path out = dir.resolve("cluster");
        Path log = dir.resolve("submit.log");
        Process submit = script("submit", "run", job.toString(), "--out", out.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(out.resolve(ResultsStore.JOB)) && submit.isAlive() && System.nanoTime() < deadline)
            Thread.sleep(20);
        Files.delete(csv);
        assertTrue(submit.waitFor(600, TimeUnit.SECONDS), "the sweep did not finish");
        assertEquals(0, submit.exitValue(), Files.readString(log));
        Map<String, String> cells = SweepTest.table(local, "cells");
        assertEquals(cells, SweepTest.table(out, "cells"));
        // Probes trained ahead depend on timing (which slots were idle when); every probe both runs
        // recorded has the same bits, and they share at least every probe the searches used.
        int used = cells.values().stream()
                .mapToInt(v -> Integer.parseInt(v.split("/")[3]))
                .sum();
        int shared = SweepTest.assertSameWhereShared(SweepTest.table(local, "probes"), SweepTest.table(out, "probes"));
        assertTrue(shared >= used, shared + " probes shared, " + used + " used by the searches");
    }
}
