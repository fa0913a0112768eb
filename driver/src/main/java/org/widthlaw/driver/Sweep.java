package org.widthlaw.driver;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.widthlaw.lib.Bounded;
import org.widthlaw.lib.Optionals;
import org.widthlaw.lib.Seeds;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataDigest;
import org.widthlaw.lib.data.DataFiles;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.reduce.AsymptoticWidth;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.reduce.CellStats;
import org.widthlaw.lib.search.CellStatus;
import org.widthlaw.lib.search.SearchState;
import org.widthlaw.lib.search.WidthSearch;
import org.widthlaw.lib.theory.Ntk;
import org.widthlaw.lib.theory.Theory;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeSpec;
import org.widthlaw.lib.train.Trainer;

/**
 * Runs a job's width searches on Spark: the mechanism under {@link Scheduler}'s policy. Each task
 * the scheduler names becomes an asynchronous Spark job (named after its cell in the Spark UI)
 * whose widths train as one batch on an executor; its completion lands in a queue, the main
 * thread records the results, folds them into the searches and asks the scheduler again. Finished
 * probes are appended to OUT/probes every few seconds. Recorded probes are replayed, never
 * retrained, so a re-run resumes where the last one stopped; a cell's result never depends on
 * timing. A probe that stopped without success leaves its {@link Checkpoint} in OUT/checkpoints, so
 * that a grown ladder continues it instead of training it again from step 0.
 */
public final class Sweep {
    /** Spark setting: OpenBLAS threads per task (default 1, so tasks x threads never exceed the cores). */
    public static final String BLAS_THREADS = "spark.widthlaw.blas.threads";

    /** Finished probes are appended to OUT/probes at least this often (and when nothing is in flight). */
    static final double FLUSH_SECS = 5;

    private Sweep() {}

    /** What a run did: the cell results, how many probes it trained and reused, and the Spark jobs it ran. */
    public record Outcome(List<CellResult> cells, int trained, int reused, int jobs) {}

    public static String probeId(String jobHash, String cellId, int width) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((jobHash + "|" + cellId + "|" + width).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ProbeSpec spec(Job job, Cell c, int width) {
        return new ProbeSpec(
                probeId(job.hash(), c.cellId(), width),
                c.cellId(),
                c.data(),
                c.model(),
                c.n(),
                c.seed(),
                width,
                job.train(c.loss()));
    }

    public static Outcome run(SparkSession spark, Job job, ResultsStore store, Progress progress) {
        // Checked before Spark started (Sparks.check); again here for callers that did not.
        int blasThreads = Sparks.blasThreads(spark.sparkContext().getConf().get(BLAS_THREADS, "1"), BLAS_THREADS);
        progress.start(job.cells().size());
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
                progress.taskEnded();
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            return new Runner(spark, job, store, progress, blasThreads).run();
        } finally {
            spark.sparkContext().removeSparkListener(listener);
            progress.close();
        }
    }

    /** One run's mutable state, confined to the calling thread; Spark jobs report back through {@link #done}. */
    private static final class Runner {
        private final JavaSparkContext jsc;
        private final Job job;
        private final ResultsStore store;
        private final Progress progress;
        private final int blasThreads;
        private final int slots;
        private final String group;
        /** The job's data files as the driver read them, broadcast once to every executor. */
        private final Broadcast<Map<String, byte[]>> files;

        private final Map<String, Cell> cells = new LinkedHashMap<>();
        private final List<Integer> budgets;
        private final Map<Key, SearchState> states = new LinkedHashMap<>();
        /**
         * Warm-started searches not begun yet, each with the search it starts from: the first seed's at
         * the same n and budget (docs/METHOD.md section 5). A pure function of the grid, so the widths a
         * cell trains never depend on timing.
         */
        private final Map<Key, Key> waiting = new LinkedHashMap<>();

        private final Map<Key, List<ProbeResult>> used = new HashMap<>();
        private final Set<String> reusedIds = new HashSet<>();
        private final Map<String, ProbeResult> recorded = new HashMap<>();
        /** Recorded probes that answer every budget; the rest (failures at a smaller budget) train again. */
        private final Set<Scheduler.Probe> answered = new HashSet<>();

        private final Set<String> trainedNow = new HashSet<>();
        private final Set<Scheduler.Probe> inFlight = new HashSet<>();
        private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
        private final List<ProbeRecord> buffer = new ArrayList<>();
        /** Seconds and steps this run spent on the buffered probes (a continued probe's earlier run left out). */
        private double bufferSecs;

        private long bufferSteps;
        private final ExecutorService submitter;
        private int tasksInFlight;
        private int submitted;

        /** A finished Spark job: its task and results, or the failure. */
        private record Done(Scheduler.Task task, List<Trainer.Trained> results, Throwable error) {}

        Runner(SparkSession spark, Job job, ResultsStore store, Progress progress, int blasThreads) {
            this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            this.job = job;
            this.store = store;
            this.progress = progress;
            this.blasThreads = blasThreads;
            this.slots = Sparks.slots(spark);
            this.budgets = job.train().budgets();
            this.group = "widthlaw-" + job.name() + "-" + job.hash();
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            for (Cell c : job.cells()) names.addAll(DataDigest.files(c.data()));
            DataFetch.fetchMissing(List.copyOf(names)); // read when the job was parsed
            this.files = jsc.broadcast(DataFetch.shipped(List.copyOf(names)));
            AtomicInteger n = new AtomicInteger();
            this.submitter = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "widthlaw-job-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            Map<String, String> anchors = job.warmAnchors();
            for (Cell c : job.cells()) {
                cells.put(c.cellId(), c);
                String anchor = anchors.get(c.cellId());
                for (int r = 0; r < budgets.size(); r++) {
                    Key k = new Key(c.cellId(), r);
                    if (anchor != null) waiting.put(k, new Key(anchor, r));
                    else states.put(k, WidthSearch.start(job.search()));
                    used.put(k, new ArrayList<>());
                }
            }
            store.readProbes().forEach((id, p) -> record(p.result()));
        }

        Outcome run() {
            long lastFlush = System.nanoTime();
            try {
                while (true) {
                    int finished = fold();
                    if (finished == states.size() && waiting.isEmpty() && tasksInFlight == 0) {
                        if (!buffer.isEmpty()) flush();
                        break;
                    }
                    List<Scheduler.Task> tasks = Scheduler.next(
                            searches(),
                            answered,
                            inFlight,
                            tasksInFlight,
                            slots,
                            (id, w) -> cells.get(id).cost(w, job.train().steps()));
                    if (tasks.isEmpty() && tasksInFlight == 0)
                        throw new IllegalStateException("no work and nothing in flight");
                    tasks.forEach(this::submit);
                    // Written while the slots train what was just sent, never between a result and the next task.
                    if (!buffer.isEmpty() && (System.nanoTime() - lastFlush) / 1e9 >= FLUSH_SECS) {
                        flush();
                        lastFlush = System.nanoTime();
                    }
                    progress.status(cellsDone(), trainedNow.size(), reusedIds.size(), tasksInFlight, secsLeft());
                    take(done.take());
                    for (Done d = done.poll(); d != null; d = done.poll()) take(d);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                // Whatever finished is kept, even when the sweep stops on a failure.
                if (!buffer.isEmpty()) store.appendProbes(buffer);
                if (tasksInFlight > 0) jsc.cancelJobGroup(group);
                submitter.shutdownNow();
            }
            List<CellResult> results = cellResults();
            store.compactProbes(); // the many small files of a long run's flushes, merged into one
            store.writeCells(results, job);
            store.writeProbesCsv(job);
            progress.finish(trainedNow.size(), reusedIds.size());
            return new Outcome(results, trainedNow.size(), reusedIds.size(), submitted);
        }

        /** One search: a cell at one budget of the ladder. */
        private record Key(String cellId, int rung) {}

        /**
         * Folds recorded results into every idle search and begins the warm starts whose anchors are
         * done (one may finish at once on recorded probes, and begin others); returns how many
         * searches are done.
         */
        private int fold() {
            int finished;
            do finished = foldOnce();
            while (begin());
            return finished;
        }

        private int foldOnce() {
            int finished = 0;
            for (Map.Entry<Key, SearchState> e : states.entrySet()) {
                Key k = e.getKey();
                Cell c = cells.get(k.cellId());
                int budget = budgets.get(k.rung());
                Scheduler.Search s = new Scheduler.Search(k.cellId(), k.rung(), e.getValue());
                if (Scheduler.idle(s, inFlight)) {
                    Scheduler.Folded f = Scheduler.fold(
                            s.state(),
                            w -> Optional.ofNullable(recorded.get(probeId(c, w)))
                                    .flatMap(r -> r.successAt(budget)));
                    for (int w : f.used()) {
                        ProbeResult r = recorded.get(probeId(c, w));
                        used.get(k).add(r);
                        if (!trainedNow.contains(r.probeId())) reusedIds.add(r.probeId());
                    }
                    e.setValue(f.state());
                }
                if (e.getValue().done()) finished++;
            }
            return finished;
        }

        /** Begins the waiting searches whose anchors are done; true when any began. */
        private boolean begin() {
            boolean any = false;
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                SearchState anchor = states.get(e.getValue());
                if (anchor == null || !anchor.done()) continue;
                states.put(e.getKey(), job.search().startFrom(anchor.minWidth()));
                it.remove();
                any = true;
            }
            return any;
        }

        /** Cells whose searches at every budget are done. */
        private int cellsDone() {
            Set<String> open = new HashSet<>();
            states.forEach((k, s) -> {
                if (!s.done()) open.add(k.cellId());
            });
            waiting.keySet().forEach(k -> open.add(k.cellId()));
            return cells.size() - open.size();
        }

        private String probeId(Cell c, int width) {
            return Sweep.probeId(job.hash(), c.cellId(), width);
        }

        private List<Scheduler.Search> searches() {
            List<Scheduler.Search> out = new ArrayList<>();
            states.forEach((k, s) -> out.add(new Scheduler.Search(k.cellId(), k.rung(), s)));
            return out;
        }

        private void record(ProbeResult r) {
            recorded.put(r.probeId(), r);
            if (r.successAt(budgets.get(budgets.size() - 1)).isPresent()) {
                answered.add(new Scheduler.Probe(r.cellId(), r.width()));
            }
        }

        /**
         * The time the sweep still needs ({@link Eta}): the remaining searches' probes at the
         * rate measured on the probes trained in this run (on the recorded ones before any has).
         */
        private java.util.OptionalDouble secsLeft() {
            List<ProbeResult> mine = trainedNow.stream().map(recorded::get).toList();
            Optional<Eta.Rate> rate = Eta.rate(mine.isEmpty() ? recorded.values() : mine, cells::get);
            if (rate.isEmpty()) return java.util.OptionalDouble.empty();
            List<Eta.Open> open = new ArrayList<>();
            states.forEach((k, st) -> open.add(new Eta.Open(cells.get(k.cellId()), st)));
            // A warm start not begun yet is counted as a cold search: never fewer probes.
            waiting.keySet()
                    .forEach(k -> open.add(new Eta.Open(cells.get(k.cellId()), WidthSearch.start(job.search()))));
            int top = budgets.size() - 1;
            Map<String, Double> share =
                    Eta.budgetShares(mine.isEmpty() ? recorded.values() : mine, id -> states.get(new Key(id, top)));
            Eta.Work w = Eta.left(
                    open, job.train().steps(), share, (id, width) -> answered.contains(new Scheduler.Probe(id, width)));
            return java.util.OptionalDouble.of(Eta.seconds(w, rate.get(), slots));
        }

        private void submit(Scheduler.Task task) {
            Cell c = cells.get(task.cellId());
            List<ProbeSpec> specs =
                    task.widths().stream().map(w -> resumable(spec(job, c, w))).toList();
            String name =
                    job.name() + ": cell " + c.cellId() + " widths " + task.widths() + (task.ahead() ? " (ahead)" : "");
            for (int w : task.widths()) inFlight.add(new Scheduler.Probe(c.cellId(), w));
            tasksInFlight++;
            submitted++;
            int threads = blasThreads;
            CompletableFuture.supplyAsync(
                            () -> {
                                jsc.setJobGroup(group, name, true); // names the Spark job after its cell (thread-local)
                                return jsc.parallelize(List.of(specs), 1)
                                        .flatMap(new ProbeTask(threads, files))
                                        .collect();
                            },
                            submitter)
                    .whenComplete((results, error) -> done.add(new Done(task, results, error)));
        }

        /**
         * The probe, continued from its checkpoint when an earlier run under a smaller budget
         * stopped it without success (and left one); otherwise as it is, from step 0.
         */
        private ProbeSpec resumable(ProbeSpec spec) {
            ProbeResult before = recorded.get(spec.probeId());
            if (before == null || before.budget() >= spec.train().steps()) return spec;
            return store.readCheckpoint(spec.probeId())
                    .filter(ck -> ck.step() == before.steps() && ck.budget() == before.budget())
                    .map(spec::resumedFrom)
                    .orElse(spec);
        }

        private void take(Done d) {
            tasksInFlight--;
            for (int w : d.task().widths())
                inFlight.remove(new Scheduler.Probe(d.task().cellId(), w));
            if (d.error() != null) {
                Throwable cause = d.error().getCause() != null ? d.error().getCause() : d.error();
                throw new IllegalStateException("a training task failed: " + cause, cause);
            }
            for (Trainer.Trained tr : d.results()) {
                // The checkpoint first: a recorded failure without one would train again from step 0.
                if (tr.checkpoint() != null) store.writeCheckpoint(tr.checkpoint());
                ProbeResult r = tr.result();
                buffer.add(ProbeRecord.of(cells.get(r.cellId()).key(), r, job));
                bufferSecs += tr.secsNow();
                bufferSteps += tr.stepsNow();
                record(r);
                trainedNow.add(r.probeId());
            }
        }

        private void flush() {
            store.appendProbes(buffer);
            progress.recorded(buffer.size(), bufferSecs, bufferSteps);
            buffer.clear();
            bufferSecs = 0;
            bufferSteps = 0;
        }

        private List<CellResult> cellResults() {
            Map<String, CellStats> stats = new HashMap<>();
            jsc.setJobGroup(group, job.name() + ": cell statistics (lambda0, lambda_deep, delta_sep)", true);
            for (CellStatsTask.Result r : jsc.parallelize(List.copyOf(cells.values()), Math.max(1, cells.size()))
                    .map(new CellStatsTask(files))
                    .collect()) {
                stats.put(r.cellId(), r.stats());
            }
            List<CellResult> out = new ArrayList<>();
            for (Cell c : cells.values()) {
                OptionalInt below = OptionalInt.empty();
                // m*_inf from the probes the cell's searches used (not those trained ahead, which
                // depend on timing): an estimate, the same at every budget.
                Map<Integer, ProbeResult> usedByWidth = new java.util.TreeMap<>();
                for (int rung = 0; rung < budgets.size(); rung++) {
                    for (ProbeResult r : used.get(new Key(c.cellId(), rung))) usedByWidth.put(r.width(), r);
                }
                List<ProbeResult> ofCell = List.copyOf(usedByWidth.values());
                Optional<AsymptoticWidth.Estimate> asymptotic =
                        AsymptoticWidth.of(ofCell, Seeds.derive(c.seed(), Seeds.STREAM_BOOTSTRAP, c.n()));
                for (int rung = 0; rung < budgets.size(); rung++) {
                    Key k = new Key(c.cellId(), rung);
                    SearchState st = states.get(k);
                    List<ProbeResult> probes = used.get(k);
                    double secs = probes.stream().mapToDouble(ProbeResult::secs).sum();
                    OptionalInt min = st.minWidth() > 0 ? OptionalInt.of(st.minWidth()) : OptionalInt.empty();
                    OptionalInt maxFail =
                            st.maxFailedWidth() > 0 ? OptionalInt.of(st.maxFailedWidth()) : OptionalInt.empty();
                    CellStatus status = st.status();
                    // A width that succeeds within a smaller budget succeeds within this one: m*(T) never grows with T.
                    if (below.isPresent() && (min.isEmpty() || below.getAsInt() < min.getAsInt())) {
                        min = below;
                        if (status == CellStatus.UNREACHED) status = CellStatus.FOUND;
                        if (maxFail.isPresent() && maxFail.getAsInt() >= min.getAsInt()) maxFail = OptionalInt.empty();
                    }
                    below = min;
                    OptionalLong minParams = min.isPresent()
                            ? OptionalLong.of(c.model()
                                    .params(
                                            min.getAsInt(),
                                            c.data().d(),
                                            c.data().outputs()))
                            : OptionalLong.empty();
                    out.add(new CellResult(
                            c.key(),
                            budgets.get(rung),
                            min,
                            maxFail,
                            minParams,
                            status,
                            probes.size(),
                            secs,
                            stats.get(c.cellId()),
                            asymptotic));
                }
            }
            return out;
        }
    }

    /** Trains one task's probes (one cell's) as a batch on an executor; the Spark attempt number goes into the rows. */
    static final class ProbeTask implements FlatMapFunction<List<ProbeSpec>, Trainer.Trained> {
        private static final long serialVersionUID = 1L;
        private final int blasThreads;
        private final Broadcast<Map<String, byte[]>> files;

        ProbeTask(int blasThreads, Broadcast<Map<String, byte[]>> files) {
            this.blasThreads = blasThreads;
            this.files = files;
        }

        @Override
        public java.util.Iterator<Trainer.Trained> call(List<ProbeSpec> specs) {
            Blas.get().setThreads(blasThreads);
            DataFiles.registerAll(files.value()); // the driver's bytes: no executor reads a path of its own
            TaskContext tc = TaskContext.get();
            int attempt = tc == null ? 0 : tc.attemptNumber();
            return Trainer.trainAll(specs).stream()
                    .map(t -> new Trainer.Trained(t.result().withAttempt(attempt), t.checkpoint(), t.priorSecs()))
                    .iterator();
        }
    }

    /**
     * Per cell, on the executors: lambda0 = lambda_min(H-infinity) (two-layer), lambda_min of the
     * deep fc ReLU limiting Gram (fc with ReLU), both for n <= Ntk.MAX_N and bounded in time, and
     * the minimum pairwise distance.
     */
    static final class CellStatsTask implements Function<Cell, CellStatsTask.Result> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<Map<String, byte[]>> files;

        CellStatsTask(Broadcast<Map<String, byte[]>> files) {
            this.files = files;
        }

        record Result(String cellId, CellStats stats) implements Serializable {}

        @Override
        public Result call(Cell c) {
            DataFiles.registerAll(files.value());
            Dataset data = Datasets.build(c.data(), c.n(), c.seed());
            var none = java.util.OptionalDouble.empty();
            var lambda0 = c.model().arch() == Arch.TWO_LAYER
                    ? Bounded.call("lambda0 of " + c.cellId(), () -> Ntk.lambda0(data))
                    : none;
            var deep = c.model().arch() == Arch.FC && c.model().activation() == Activation.RELU
                    ? Bounded.call(
                            "deep fc lambda of " + c.cellId(),
                            () -> Ntk.fcReluLambda(
                                    data, c.model().depth(), c.model().effectiveCSigma()))
                    : none;
            var sep = Optionals.finite(Theory.minPairwiseDistance(data.x(), data.n(), data.d()));
            return new Result(c.cellId(), new CellStats(lambda0, deep, sep));
        }
    }
}
