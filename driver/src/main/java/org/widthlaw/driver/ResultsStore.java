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
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.train.Checkpoint;

/**
 * The output directory of a job, on any Hadoop file system: job.yaml, probes/ (append-only
 * Parquet), checkpoints/ (one file per unfinished probe), cells/ and cells.csv, scaling.json and
 * scaling.csv. Probe rows are keyed by probe_id;
 * reading keeps one row per key, so a row written twice can never count twice. Before anything
 * is written, {@link #check} finds what would make a run fail on OUT (docs/ARCHITECTURE.md, "CLI":
 * not a directory, not writable, another job's, in use, a Parquet file that cannot be read) and
 * reports it naming the file, changing nothing; on a local OUT it runs before Spark starts.
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
    private final Configuration conf;
    private final Path root;
    /** How messages name OUT: {@code output} (run) or {@code OUT} (fit, report). */
    private final String field;
    /** Whether {@link #fs} is this store's own instance (closed with it), not Hadoop's shared one. */
    private final boolean ownFs;

    private boolean locked;

    public ResultsStore(SparkSession spark, String out) {
        this(spark, out, "output");
    }

    public ResultsStore(SparkSession spark, String out, String field) {
        this(spark, spark.sparkContext().hadoopConfiguration(), out, field, false);
    }

    private ResultsStore(SparkSession spark, Configuration conf, String out, String field, boolean ownFs) {
        this.spark = spark;
        this.field = field;
        this.root = path(out, field);
        this.ownFs = ownFs;
        this.conf = conf;
        try {
            this.fs = ownFs ? FileSystem.newInstance(root.toUri(), conf) : root.getFileSystem(conf);
            fs.setWriteChecksum(false); // no .crc files beside job.yaml, scaling.json, report.html
        } catch (IOException e) {
            throw new JobException(field, "cannot open " + out + ": " + JobParser.oneLine(e.getMessage()));
        }
    }

    /** Characters Hadoop and Spark read as a glob pattern in a path (a Parquet read would then miss its files). */
    static final String GLOB_CHARS = "*?[]{}\\";

    private static Path path(String out, String field) {
        for (char c : GLOB_CHARS.toCharArray()) {
            if (out.indexOf(c) >= 0) {
                throw new JobException(
                        field,
                        "must not contain any of * ? [ ] { } \\ (Hadoop and Spark read them as a glob pattern), got "
                                + Checks.quote(out));
            }
        }
        try {
            return new Path(out);
        } catch (IllegalArgumentException e) {
            throw new JobException(field, "is not a path or URI: " + Checks.quote(out));
        }
    }

    /**
     * A store for checking OUT before Spark starts, when OUT is on the local file system (with
     * the Hadoop settings of spark-submit and {@code --conf spark.hadoop.*}); empty when it is on
     * another file system, which is checked once Spark has started. A scheme without a Hadoop
     * file system is an error here already.
     */
    public static Optional<ResultsStore> local(String out, Map<String, String> confs, String field) {
        Configuration conf = new Configuration();
        Map<String, String> spark = new LinkedHashMap<>();
        // What SparkConf would read (the spark.* system properties), without starting Scala and Spark's classes.
        for (String k : System.getProperties().stringPropertyNames())
            if (k.startsWith("spark.")) spark.put(k, System.getProperty(k));
        spark.putAll(confs);
        spark.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) conf.set(k.substring("spark.hadoop.".length()), v);
        });
        java.net.URI uri = path(out, field).toUri();
        String scheme = uri.getScheme() != null
                ? uri.getScheme()
                : FileSystem.getDefaultUri(conf).getScheme();
        if (!"file".equals(scheme)) {
            try {
                FileSystem.getFileSystemClass(scheme, conf);
            } catch (IOException e) {
                throw new JobException(
                        field,
                        "no file system for scheme " + Checks.quote(String.valueOf(scheme)) + " in " + Checks.quote(out)
                                + "; use a path or a file:, hdfs: or s3a: URI");
            }
            return Optional.empty();
        }
        return Optional.of(new ResultsStore(null, conf, out, field, true));
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
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new JobException(
                    field,
                    fs.makeQualified(p) + " is not a widthlaw job (not valid YAML " + JobParser.where(e)
                            + "); use another output directory");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks that OUT is free or belongs to this job, takes the lock, and records the job. Throws
     * {@link JobException} (and writes nothing) when OUT belongs to another recipe, cannot be
     * written or holds a file that cannot be read, {@link OutInUse} when it is in use.
     */
    public void claim(Job job) {
        check(job);
        lock();
        writeText(JOB, JobParser.toYaml(JobParser.normalised(job)));
    }

    /**
     * What {@link #claim} checks before it writes anything: OUT is a writable directory or can be
     * made one, holds no other job's results, is not held by a live lease ({@link OutInUse}), and
     * every Parquet file under probes/ and cells/ can be read. Changes nothing.
     */
    public void check(Job job) {
        writable();
        String recorded = recordedHash();
        if (recorded != null && !recorded.equals(job.hash())) {
            String why;
            try {
                why = JobParser.differences(JobParser.YAML.readTree(readText(JOB)), JobParser.normalised(job));
            } catch (IOException | RuntimeException e) {
                why = "data, model, search or train differ";
            }
            throw new JobException(
                    field,
                    uri() + " holds results of job hash " + recorded + " and this job's hash is " + job.hash() + ": "
                            + why + "; use another output directory");
        }
        Path lock = new Path(root, LOCK);
        try {
            if (fs.exists(lock)) {
                String owner = readText(lock).trim();
                if (!isStale(owner) && !expired(owner, System.currentTimeMillis())) throw inUse(owner);
            }
        } catch (IOException e) {
            throw cannot("read", lock, e);
        }
        parquet(PROBES);
        parquet(CELLS);
    }

    /**
     * For fit and report: OUT is a writable directory holding a job.yaml and cells/ whose Parquet
     * files can be read; returns the stored job. Changes nothing.
     */
    public Job stored() {
        if (status(root) == null) throw new JobException(field, uri() + " does not exist");
        writable();
        if (!exists(JOB)) throw new JobException(field, uri() + " has no job.yaml: not a widthlaw output");
        Job j = storedJob();
        if (!exists(CELLS)) throw new JobException(field, uri() + " has no cells/ yet: run the job first");
        parquet(CELLS);
        return j;
    }

    /**
     * For status and compare, which only read: OUT is a directory holding a job.yaml that parses;
     * returns the stored job. Neither the lease nor anything else is touched.
     */
    public Job readable() {
        FileStatus st = status(root);
        if (st == null) throw new JobException(field, uri() + " does not exist");
        if (!st.isDirectory()) throw new JobException(field, uri() + " is a file, not a directory");
        if (!exists(JOB)) throw new JobException(field, uri() + " has no job.yaml: not a widthlaw output");
        return storedJob();
    }

    /** OUT/job.yaml parsed; an error names this OUT's file and says why it is not a widthlaw job. */
    private Job storedJob() {
        try {
            return JobParser.parseStored(readText(JOB));
        } catch (JobException e) {
            String prefix = "OUT/job.yaml: is not a widthlaw job";
            String why = e.getMessage().startsWith(prefix)
                    ? e.getMessage().substring(prefix.length())
                    : " (" + e.getMessage() + ")";
            throw new JobException(field, uri() + "/" + JOB + " is not a widthlaw job" + why);
        }
    }

    /** For status: every Parquet file under probes/ has sound ends (named otherwise); changes nothing. */
    public void probesReadable() {
        parquet(PROBES);
    }

    /** The status of {@code p}, or null when there is nothing there (or above it is a file). */
    private FileStatus status(Path p) {
        try {
            return fs.getFileStatus(p);
        } catch (java.io.FileNotFoundException e) {
            return null;
        } catch (org.apache.hadoop.fs.ParentNotDirectoryException e) {
            return null;
        } catch (IOException e) {
            throw cannot("read", p, e);
        }
    }

    /**
     * OUT is a directory, or nothing is there and the nearest thing above it is a directory; on a
     * local file system that directory must be writable too (elsewhere the file system's own
     * refusal is reported when a write fails).
     */
    private void writable() {
        Path at = root;
        FileStatus st = status(at);
        while (st == null && at.getParent() != null) {
            at = at.getParent();
            st = status(at);
        }
        if (st == null) return;
        if (!st.isDirectory()) {
            throw new JobException(
                    field,
                    at.equals(root)
                            ? uri() + " is a file, not a directory"
                            : "cannot create " + uri() + ": " + fs.makeQualified(at) + " is a file");
        }
        if (fs instanceof org.apache.hadoop.fs.LocalFileSystem
                || fs instanceof org.apache.hadoop.fs.RawLocalFileSystem) {
            java.nio.file.Path local =
                    java.nio.file.Path.of(fs.makeQualified(at).toUri());
            if (!java.nio.file.Files.isWritable(local)) {
                throw new JobException(
                        field,
                        at.equals(root)
                                ? uri() + " is not writable"
                                : "cannot create " + uri() + ": " + local + " is not writable");
            }
        }
    }

    /**
     * Every file Spark would read under {@code dir} (names not starting with _ or .) is Parquet
     * as far as its ends show: "PAR1" first, "PAR1" (or "PARE", encrypted) last, and a footer that
     * fits. A truncated or overwritten file is named; nothing is moved or deleted.
     */
    private void parquet(String dir) {
        Path d = new Path(root, dir);
        try {
            if (!fs.exists(d)) return;
            for (FileStatus f : fs.listStatus(d)) {
                String name = f.getPath().getName();
                if (f.isDirectory() || name.startsWith("_") || name.startsWith(".")) continue;
                String why = footer(f);
                if (why != null) {
                    throw new JobException(
                            field,
                            fs.makeQualified(f.getPath()) + " is not a readable Parquet file (" + why
                                    + "); move it out of " + dir + "/ and run again (nothing was changed)");
                }
            }
        } catch (IOException e) {
            throw cannot("read", d, e);
        }
    }

    /** Why {@code f} is not a Parquet file, or null when its ends are sound. */
    private String footer(FileStatus f) throws IOException {
        long len = f.getLen();
        if (len < 12) return len + " bytes, fewer than any Parquet file holds: truncated";
        byte[] head = new byte[4];
        byte[] tail = new byte[8];
        try (org.apache.hadoop.fs.FSDataInputStream in = fs.open(f.getPath())) {
            in.readFully(0, head);
            in.readFully(len - 8, tail);
        }
        if (!new String(head, StandardCharsets.ISO_8859_1).equals("PAR1")) return "it does not start with PAR1";
        String magic = new String(tail, 4, 4, StandardCharsets.ISO_8859_1);
        if (!magic.equals("PAR1") && !magic.equals("PARE"))
            return "it does not end with PAR1: truncated or overwritten";
        long footer = java.nio.ByteBuffer.wrap(tail, 0, 4)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .getInt()
                & 0xFFFFFFFFL;
        if (footer == 0 || footer > len - 12)
            return "its footer length " + footer + " does not fit its " + len + " bytes";
        return null;
    }

    private JobException cannot(String what, Path p, IOException e) {
        String why = e instanceof org.apache.hadoop.security.AccessControlException
                        || e instanceof java.nio.file.AccessDeniedException
                ? "permission denied"
                : JobParser.oneLine(e.getMessage());
        return new JobException(field, "cannot " + what + " " + fs.makeQualified(p) + ": " + why);
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
            if (!fs.mkdirs(root)) throw new JobException(field, "cannot create " + uri());
            if (fs.exists(p)) {
                String owner = readText(p).trim();
                if (!isStale(owner) && !expired(owner, System.currentTimeMillis())) throw inUse(owner);
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
            throw cannot("write", p, e);
        }
    }

    private OutInUse inUse(String owner) {
        return new OutInUse(uri() + " is in use by another run (" + JobParser.oneLine(owner) + ")"
                + "; wait for it, or for its lease to expire");
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
        try {
            if (locked) {
                fs.delete(new Path(root, LOCK), false);
                locked = false;
            }
            if (ownFs) fs.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every recorded probe, one per probe_id (the row trained to the largest budget, then the first
     * attempt, wins), in probe_id order.
     */
    public Map<String, ProbeRecord> readProbes() {
        List<Row> rows = new java.util.ArrayList<>(rows(PROBES, Tables.PROBES.schema()));
        // One row per probe_id: the largest budget (absent counts as the smallest), then the first attempt.
        rows.sort(java.util.Comparator.comparing((Row r) -> (String) r.getAs("probe_id"))
                .thenComparing(
                        (Row r) -> r.getAs("budget") == null ? Integer.MIN_VALUE : (int) r.getAs("budget"),
                        java.util.Comparator.reverseOrder())
                .thenComparingInt((Row r) -> r.getAs("attempt")));
        Map<String, ProbeRecord> byId = new LinkedHashMap<>();
        for (Row r : rows) {
            String id = r.getAs("probe_id");
            if (!byId.containsKey(id)) byId.put(id, reading(PROBES, () -> Tables.PROBES.decode(r)));
        }
        return byId;
    }

    /**
     * The rows of every Parquet file under {@code dir}, read without Spark ({@link ParquetRows});
     * a file that cannot be decoded is bad input naming the folder.
     */
    private List<Row> rows(String dir, org.apache.spark.sql.types.StructType schema) {
        return reading(dir, () -> {
            // A run may compact probes/ meanwhile (status reads during a run): a file listed and
            // then gone means the folder changed under the read, which is then read again.
            for (int attempt = 1; ; attempt++) {
                try {
                    return ParquetRows.read(fs, conf, new Path(root, dir), schema);
                } catch (java.io.FileNotFoundException e) {
                    if (attempt == 3) throw new UncheckedIOException(e);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
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

    /** Rewrites cells/ and cells.csv with the rows of {@code job}. */
    public void writeCells(List<CellResult> cells, Job job) {
        List<CellRecord> rows = cells.stream().map(c -> CellRecord.of(c, job)).toList();
        spark.createDataFrame(Tables.CELLS.encode(rows), Tables.CELLS.schema())
                .coalesce(1)
                .write()
                .mode(SaveMode.Overwrite)
                .parquet(new Path(root, CELLS).toString());
        writeText("cells.csv", Csv.of(Tables.CELLS, rows));
    }

    /**
     * Rewrites probes.csv beside probes/: every recorded probe (one row per probe_id, as read),
     * the same columns; rows written before the tol and job columns existed take them from
     * {@code job}, whose recipe (tolerance included) they share by the job hash.
     */
    public void writeProbesCsv(Job job) {
        List<ProbeRecord> rows =
                readProbes().values().stream().map(p -> p.filledFrom(job)).toList();
        writeText(PROBES + ".csv", Csv.of(Tables.PROBES, rows));
    }

    /** The cell rows, in (cell_id, budget) order. */
    public List<CellResult> readCells() {
        try {
            if (!fs.exists(new Path(root, CELLS)))
                throw new JobException(field, uri() + " has no cells/ yet: run the job first");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows(CELLS, Tables.CELLS.schema()).stream()
                .map(r -> reading(CELLS, () -> Tables.CELLS.decode(r).cell()))
                .sorted(java.util.Comparator.comparing(CellResult::cellId).thenComparingInt(CellResult::budget))
                .toList();
    }

    /** Whether OUT holds cells/ (a run has finished at least once). */
    public boolean hasCells() {
        return exists(CELLS);
    }

    /**
     * Runs a read of {@code dir}; a Parquet file that cannot be decoded (one whose ends
     * {@link #check} found sound) is bad input naming the directory and the reader's reason.
     */
    private <T> T reading(String dir, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (Exception e) { // Scala's SparkException is checked in Java's eyes but never declared
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c.getClass().getName().startsWith("org.apache.parquet.")
                        || String.valueOf(c.getMessage()).contains("Parquet")
                        || c instanceof ClassCastException) {
                    throw new JobException(
                            field,
                            uri() + "/" + dir + "/ holds a Parquet file that cannot be read ("
                                    + JobParser.oneLine(c.getMessage()) + "); nothing was changed");
                }
            }
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e);
        }
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
