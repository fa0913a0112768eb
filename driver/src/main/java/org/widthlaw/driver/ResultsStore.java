package org.widthlaw.driver;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.train.Checkpoint;

/**
 * The output directory of a job, on any Hadoop file system: job.yaml, probes/ (append-only
 * Parquet), checkpoints/ (one file per unfinished probe), cells/ and cells.csv, scaling.json and
 * scaling.csv. Probe rows are keyed by probe_id;
 * reading keeps one row per key, so a row written twice can never count twice.
 */
public final class ResultsStore implements AutoCloseable {
    public static final String JOB = "job.yaml";
    public static final String PROBES = "probes";
    public static final String CELLS = "cells";
    public static final String LOCK = ".lock";
    /** One file per probe that stopped without success: where a larger budget continues it. */
    public static final String CHECKPOINTS = "checkpoints";

    private final SparkSession spark;
    private final FileSystem fs;
    private final Path root;
    private boolean locked;

    public ResultsStore(SparkSession spark, String out) {
        this.spark = spark;
        this.root = new Path(out);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        try {
            this.fs = root.getFileSystem(conf);
            fs.setWriteChecksum(false); // no .crc files beside job.yaml, scaling.json, report.html
        } catch (IOException e) {
            throw new JobException("output", "cannot open " + out + ": " + e.getMessage());
        }
    }

    public String uri() {
        return fs.makeQualified(root).toString();
    }

    /** The hash recorded in OUT/job.yaml, or null when there is none. */
    public String recordedHash() {
        Path p = new Path(root, JOB);
        try {
            if (!fs.exists(p)) return null;
            JsonNode n = JobParser.YAML.readTree(readText(p));
            return n != null && n.hasNonNull("hash") ? n.get("hash").asText() : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks that OUT is free or belongs to this job, takes the lock, and records the job. Throws
     * {@link JobException} (and writes nothing) when OUT belongs to another recipe or is in use.
     */
    public void claim(Job job) {
        String recorded = recordedHash();
        if (recorded != null && !recorded.equals(job.hash())) {
            String why;
            try {
                why = JobParser.differences(JobParser.YAML.readTree(readText(JOB)), JobParser.normalised(job));
            } catch (IOException | RuntimeException e) {
                why = "data, model, search or train differ";
            }
            throw new JobException(
                    "output",
                    uri() + " holds results of job hash " + recorded + " and this job's hash is " + job.hash() + ": "
                            + why + "; use another output directory");
        }
        lock();
        writeText(JOB, JobParser.toYaml(JobParser.normalised(job)));
    }

    /** How long a lease lasts without renewal; renewed every third of it while the run lives. */
    static long leaseSecs() {
        return Long.getLong("widthlaw.lease.secs", 120);
    }

    /**
     * Takes the lease on OUT (docs/ARCHITECTURE.md, "Exactly once and resume"): a file holding the
     * owner tag and an expiry, renewed while the run lives. A lease that has expired, whoever holds
     * it and on whatever host, or one held by a process of this host that no longer runs, is taken
     * over; a live one refuses with {@link OutInUse} (exit 3).
     */
    private void lock() {
        Path p = new Path(root, LOCK);
        String me = ownerTag();
        try {
            fs.mkdirs(root);
            if (fs.exists(p)) {
                String owner = readText(p).trim();
                if (!isStale(owner) && !expired(owner, System.currentTimeMillis())) {
                    throw new OutInUse(uri() + " is in use by another run (" + owner + ")"
                            + "; wait for it, or for its lease to expire");
                }
                fs.delete(p, false);
            }
            String lease = me + " expires=" + (System.currentTimeMillis() + leaseSecs() * 1000);
            if (fs instanceof org.apache.hadoop.fs.LocalFileSystem
                    || fs instanceof org.apache.hadoop.fs.RawLocalFileSystem) {
                // O_EXCL: of two runs creating the lease at once, exactly one succeeds.
                java.nio.file.Path local =
                        java.nio.file.Path.of(fs.makeQualified(p).toUri());
                try {
                    java.nio.file.Files.write(
                            local,
                            lease.getBytes(StandardCharsets.UTF_8),
                            java.nio.file.StandardOpenOption.CREATE_NEW,
                            java.nio.file.StandardOpenOption.WRITE);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    throw new OutInUse(uri() + " is in use by another run; try again when it has finished");
                }
            } else {
                try (OutputStream o = fs.create(p, false)) {
                    o.write(lease.getBytes(StandardCharsets.UTF_8));
                }
            }
            // Two runs racing past exists(): only the one whose tag is in the file goes on.
            if (!readText(p).trim().startsWith(me + " ")) {
                throw new OutInUse(uri() + " is in use by another run; try again when it has finished");
            }
            locked = true;
            startRenewal(p, me);
        } catch (IOException e) {
            if (e instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
                throw new OutInUse(uri() + " is in use by another run; try again when it has finished");
            }
            throw new UncheckedIOException(e);
        }
    }

    private java.util.concurrent.ScheduledExecutorService renewal;

    /** Renews the lease every third of its length while this run holds it. */
    private void startRenewal(Path p, String me) {
        long every = Math.max(1, leaseSecs() * 1000 / 3);
        renewal = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "widthlaw-lease");
            t.setDaemon(true);
            return t;
        });
        renewal.scheduleAtFixedRate(
                () -> {
                    try {
                        String lease = me + " expires=" + (System.currentTimeMillis() + leaseSecs() * 1000);
                        // Only our own lease is renewed, in place (the file never disappears, so no
                        // other run can create one meanwhile); one taken over after a stall stays
                        // its new owner's.
                        if (readText(p).trim().startsWith(me + " ")) {
                            try (OutputStream o = fs.create(p, true)) {
                                o.write(lease.getBytes(StandardCharsets.UTF_8));
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        System.err.println("[widthlaw] could not renew the lease on " + uri() + ": " + e);
                    }
                },
                every,
                every,
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Whether a lease's expiry (epoch ms) has passed; a lease without one never expires by time. */
    static boolean expired(String owner, long nowMillis) {
        String e = field(owner, "expires");
        if (e == null) return false;
        try {
            return Long.parseLong(e) < nowMillis;
        } catch (NumberFormatException x) {
            return true; // unreadable: a broken lease holds nothing
        }
    }

    /** OUT is held by another live run: exit code 3, so a scheduler can retry later. */
    public static final class OutInUse extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutInUse(String message) {
            super("output: " + message);
        }
    }

    static String ownerTag() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return "host=" + host + " pid=" + ProcessHandle.current().pid() + " jvm="
                + ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /** A lease is stale at once when it was taken on this host by a process that no longer runs. */
    static boolean isStale(String owner) {
        String mine = ownerTag();
        String host = field(owner, "host");
        if (host == null || !host.equals(field(mine, "host"))) return false;
        try {
            long pid = Long.parseLong(field(owner, "pid"));
            return ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String field(String tag, String key) {
        for (String part : tag.split(" ")) if (part.startsWith(key + "=")) return part.substring(key.length() + 1);
        return null;
    }

    @Override
    public void close() {
        if (renewal != null) renewal.shutdownNow();
        if (!locked) return;
        try {
            fs.delete(new Path(root, LOCK), false);
            locked = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every recorded probe, one per probe_id (the row trained to the largest budget, then the first
     * attempt, wins), in probe_id order.
     */
    public Map<String, ProbeRecord> readProbes() {
        Path p = new Path(root, PROBES);
        try {
            if (!fs.exists(p) || fs.listStatus(p, f -> f.getName().endsWith(".parquet")).length == 0) return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Dataset<Row> df = spark.read().schema(Tables.PROBES.schema()).parquet(p.toString());
        Map<String, ProbeRecord> byId = new LinkedHashMap<>();
        for (Row r : df.orderBy(
                        org.apache.spark.sql.functions.col("probe_id"),
                        org.apache.spark.sql.functions.col("budget").desc_nulls_last(),
                        org.apache.spark.sql.functions.col("attempt"))
                .collectAsList()) {
            byId.putIfAbsent(r.getAs("probe_id"), Tables.PROBES.decode(r));
        }
        return byId;
    }

    /** Above this many Parquet files in probes/, the end of a run compacts them into one. */
    static int compactAbove() {
        return Integer.getInteger("widthlaw.compact.above", 8);
    }

    /**
     * Merges the Parquet files a run appended to probes/ into one, keeping every row as it was
     * (reading still keeps one row per probe_id): the new file is written under a hidden folder,
     * moved in beside the old ones, and only then are the old ones deleted, so a crash at any
     * point loses nothing (at worst a row is on disk twice, and read once). Returns how many files
     * were merged (0 when there were at most {@link #compactAbove()}).
     */
    public int compactProbes() {
        Path dir = new Path(root, PROBES);
        try {
            if (!fs.exists(dir)) return 0;
            org.apache.hadoop.fs.FileStatus[] files =
                    fs.listStatus(dir, f -> f.getName().endsWith(".parquet"));
            if (files.length <= compactAbove()) return 0;
            String stamp = Long.toString(System.currentTimeMillis(), 36);
            Path tmp = new Path(dir, ".compact-" + stamp);
            List<String> paths = java.util.Arrays.stream(files)
                    .map(f -> f.getPath().toString())
                    .toList();
            spark.read()
                    .schema(Tables.PROBES.schema())
                    .parquet(paths.toArray(String[]::new))
                    .coalesce(1)
                    .write()
                    .mode(SaveMode.Overwrite)
                    .parquet(tmp.toString());
            org.apache.hadoop.fs.FileStatus[] made =
                    fs.listStatus(tmp, f -> f.getName().endsWith(".parquet"));
            for (org.apache.hadoop.fs.FileStatus m : made) {
                Path to = new Path(
                        dir, "part-compact-" + stamp + "-" + m.getPath().getName());
                if (!fs.rename(m.getPath(), to)) throw new IOException("cannot move " + m.getPath() + " to " + to);
            }
            for (org.apache.hadoop.fs.FileStatus f : files) fs.delete(f.getPath(), false);
            fs.delete(tmp, true);
            return files.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void appendProbes(List<ProbeRecord> probes) {
        if (probes.isEmpty()) return;
        spark.createDataFrame(Tables.PROBES.encode(probes), Tables.PROBES.schema())
                .coalesce(1)
                .write()
                .mode(SaveMode.Append)
                .parquet(new Path(root, PROBES).toString());
    }

    /** Records a probe's checkpoint (atomically; a later one of the same probe replaces it). */
    public void writeCheckpoint(Checkpoint ck) {
        writeBytes(CHECKPOINTS + "/" + ck.probeId() + ".ckpt", ck.toBytes());
    }

    /** The checkpoint of a probe, when there is a readable one. */
    public Optional<Checkpoint> readCheckpoint(String probeId) {
        Path p = new Path(new Path(root, CHECKPOINTS), probeId + ".ckpt");
        try {
            if (!fs.exists(p)) return Optional.empty();
            try (InputStream in = fs.open(p)) {
                return Optional.of(Checkpoint.fromBytes(in.readAllBytes()));
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable checkpoint costs time, never a result: the probe trains from step 0.
            System.err.println(
                    "[widthlaw] checkpoint of " + probeId + " unreadable (" + e + "); training it from step 0");
            return Optional.empty();
        }
    }

    public void writeCells(List<CellResult> cells) {
        spark.createDataFrame(Tables.CELLS.encode(cells), Tables.CELLS.schema())
                .coalesce(1)
                .write()
                .mode(SaveMode.Overwrite)
                .parquet(new Path(root, CELLS).toString());
        writeText("cells.csv", Csv.of(Tables.CELLS, cells));
    }

    /** The cell rows, in cell_id order. */
    public List<CellResult> readCells() {
        Path p = new Path(root, CELLS);
        try {
            if (!fs.exists(p)) throw new JobException("OUT", uri() + " has no cells/ yet: run the job first");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spark
                .read()
                .schema(Tables.CELLS.schema())
                .parquet(p.toString())
                .orderBy("cell_id", "budget")
                .collectAsList()
                .stream()
                .map(Tables.CELLS::decode)
                .toList();
    }

    /** Writes a small file atomically (temporary file, then rename). */
    public void writeText(String name, String text) {
        writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a binary file (a plot) atomically. */
    public void writeBytes(String name, byte[] bytes) {
        Path target = new Path(root, name);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            fs.mkdirs(target.getParent());
            try (OutputStream o = fs.create(tmp, true)) {
                o.write(bytes);
            }
            if (fs.exists(target)) fs.delete(target, false);
            if (!fs.rename(tmp, target)) throw new IOException("cannot rename " + tmp + " to " + target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String readText(String name) {
        try {
            return readText(new Path(root, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readText(Path p) throws IOException {
        try (InputStream in = fs.open(p);
                ByteArrayOutputStream b = new ByteArrayOutputStream()) {
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    public boolean exists(String name) {
        try {
            return fs.exists(new Path(root, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
