package org.widthlaw.driver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.widthlaw.lib.Version;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.search.SearchState;
import org.widthlaw.lib.search.WidthSearch;
import org.widthlaw.lib.theory.Ntk;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeSpec;
import org.widthlaw.lib.train.Trainer;

/**
 * Runs a job's width searches on Spark without a barrier between cells: every idle cell's pending
 * widths go out as one task (an asynchronous Spark job; the widths train as one batch), largest
 * predicted cost first; as each task finishes its results are recorded and its cell folds them in
 * and asks for its next widths. Idle slots train ahead the widths busy cells may need next. Finished
 * probes are appended to OUT/probes every few seconds. Recorded probes are replayed, never
 * retrained, so a re-run resumes where the last one stopped; a cell's result never depends on timing.
 */
public final class Sweep {
    /** Spark setting: OpenBLAS threads per task (default 1, so tasks x threads never exceed the cores). */
    public static final String BLAS_THREADS = "spark.widthlaw.blas.threads";

    private Sweep() {}

    /** What a run did: the cell rows, how many probes it trained and reused, and the Spark jobs it ran. */
    public record Outcome(List<Row> cells, int trained, int reused, int jobs) {}

    /** Finished probes are appended to OUT/probes at least this often (and when nothing is in flight). */
    static final double FLUSH_SECS = 5;

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
        return new ProbeSpec(probeId(job.hash(), c.cellId(), width), c.cellId(), c.data(), c.model(), c.n(), c.seed(),
                width, job.train());
    }

    /** How many search steps ahead a cell may train when a round would leave slots idle. */
    static final int LOOKAHEAD_STEPS = 6;

    public static Outcome run(SparkSession spark, Job job, ResultsStore store, Progress progress) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int blasThreads = Integer.parseInt(spark.sparkContext().getConf().get(BLAS_THREADS, "1"));
        int slots = Sparks.slots(spark);
        if (blasThreads < 1) throw new JobException(BLAS_THREADS, "must be an integer >= 1, got " + blasThreads);
        List<Cell> cells = job.cells();
        progress.start(cells.size());
        org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd taskEnd) {
                progress.taskEnded();
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            return schedule(spark, jsc, job, store, progress, cells, blasThreads, slots);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
            progress.close();
        }
    }

    private static Outcome schedule(SparkSession spark, JavaSparkContext jsc, Job job, ResultsStore store, Progress progress,
                                  List<Cell> cells, int blasThreads, int slots) {
        String version = Version.get();
        Map<String, ProbeResult> recorded = new HashMap<>(store.readProbes());
        Map<String, SearchState> states = new LinkedHashMap<>();
        Map<String, List<ProbeResult>> used = new HashMap<>();
        for (Cell c : cells) {
            states.put(c.cellId(), WidthSearch.start(job.search()));
            used.put(c.cellId(), new ArrayList<>());
        }
        Set<String> trainedNow = new HashSet<>();
        int reused = 0;
        int submitted = 0;
        // Probes in flight: each future trains one task (one cell's pending widths, or widths trained ahead).
        Map<org.apache.spark.api.java.JavaFutureAction<List<ProbeResult>>, List<ProbeSpec>> inFlight = new LinkedHashMap<>();
        Set<String> busyCells = new HashSet<>();   // cells whose next width is being trained
        Set<String> queued = new HashSet<>();      // probe ids in flight
        Map<String, Cell> byId = new HashMap<>();
        for (Cell c : cells) byId.put(c.cellId(), c);
        List<Row> buffer = new ArrayList<>();
        List<ProbeResult> bufferResults = new ArrayList<>();
        long lastFlush = System.nanoTime();
        try {
            while (true) {
                // Fold recorded results into every idle cell; collect what the idle cells wait for.
                List<List<ProbeSpec>> fresh = new ArrayList<>();
                int done = 0;
                for (Cell c : cells) {
                    if (busyCells.contains(c.cellId())) continue;
                    SearchState st = states.get(c.cellId());
                    List<ProbeSpec> wanted = new ArrayList<>();
                    while (!st.done()) {
                        ProbeResult hit = null;
                        for (int w : st.pending()) {
                            hit = recorded.get(probeId(job.hash(), c.cellId(), w));
                            if (hit != null) break;
                        }
                        if (hit == null) {
                            for (int w : st.pending()) {
                                ProbeSpec p = spec(job, c, w);
                                if (!queued.contains(p.probeId())) wanted.add(p);
                            }
                            break;
                        }
                        st = WidthSearch.next(st, hit.width(), hit.succeeded());
                        used.get(c.cellId()).add(hit);
                        if (!trainedNow.contains(hit.probeId())) reused++;
                    }
                    states.put(c.cellId(), st);
                    if (st.done()) done++;
                    else {
                        busyCells.add(c.cellId());
                        if (!wanted.isEmpty()) fresh.add(wanted);
                    }
                }
                if (fresh.isEmpty() && inFlight.isEmpty() && busyCells.isEmpty()) break;
                // Largest predicted cost first, so the longest start first.
                fresh.sort(Comparator.comparingDouble((List<ProbeSpec> t) -> -t.stream().mapToDouble(ProbeSpec::predictedFlops).sum()));
                for (List<ProbeSpec> t : fresh) {
                    submit(jsc, t, blasThreads, inFlight, queued);
                    submitted++;
                }
                // Idle slots: train ahead the widths busy cells may ask for next.
                int free = slots - inFlight.size();
                if (free > 0) {
                    for (List<ProbeSpec> t : ahead(job, cells, states, busyCells, recorded, queued, free)) {
                        submit(jsc, t, blasThreads, inFlight, queued);
                        submitted++;
                    }
                }
                int expected = 0;
                for (SearchState st : states.values()) expected += WidthSearch.expectedRemaining(st);
                progress.status(done, trainedNow.size(), reused, inFlight.size(), expected);
                // Wait for any task, then record what finished.
                List<ProbeResult> finished = awaitAny(inFlight, queued);
                for (ProbeResult r : finished) {
                    buffer.add(Rows.probe(byId.get(r.cellId()), r, job.hash(), version));
                    bufferResults.add(r);
                    recorded.put(r.probeId(), r);
                    trainedNow.add(r.probeId());
                }
                // A cell is idle again once no probe it waits for is in flight.
                busyCells.removeIf(id -> {
                    SearchState st = states.get(id);
                    return st.pending().stream().noneMatch(w -> queued.contains(probeId(job.hash(), id, w)));
                });
                if (!buffer.isEmpty() && (inFlight.isEmpty() || (System.nanoTime() - lastFlush) / 1e9 >= FLUSH_SECS)) {
                    progress.status(done, trainedNow.size(), reused, inFlight.size(), expected);
                    store.appendProbes(buffer);
                    progress.recorded(bufferResults);
                    buffer.clear();
                    bufferResults.clear();
                    lastFlush = System.nanoTime();
                }
            }
        } finally {
            // Whatever finished is kept, even when the sweep stops on a failure.
            if (!buffer.isEmpty()) store.appendProbes(buffer);
            for (var f : inFlight.keySet()) f.cancel(true);
        }
        Map<String, double[]> stats = cellStats(jsc, cells);
        List<Row> cellRows = new ArrayList<>();
        for (Cell c : cells) {
            SearchState st = states.get(c.cellId());
            List<ProbeResult> probes = used.get(c.cellId());
            double secs = probes.stream().mapToDouble(ProbeResult::secs).sum();
            Integer min = st.minWidth() > 0 ? st.minWidth() : null;
            Integer maxFail = st.maxFailedWidth() > 0 ? st.maxFailedWidth() : null;
            Long minParams = min == null ? null : c.model().params(min, c.data().d(), c.data().outputs());
            double[] cs = stats.get(c.cellId());
            cellRows.add(Rows.cell(c.cellId(), c.model().arch(), c.model().depth(), c.data().d(), c.data().kind(),
                    c.data().labels(), c.model().trained(), c.model().activation(), c.n(), c.seed(), min, maxFail,
                    minParams, Rows.nullable(cs[0]), st.status(), probes.size(), secs, Rows.nullable(cs[1]),
                    Rows.nullable(cs[2])));
        }
        store.writeCells(cellRows);
        progress.finish(trainedNow.size(), reused);
        return new Outcome(cellRows, trainedNow.size(), reused, submitted);
    }

    /**
     * Per cell, on the executors: lambda0 = lambda_min(H-infinity) (two-layer), lambda_min of the deep
     * fc ReLU limiting Gram (fc with ReLU), both for n <= Ntk.MAX_N, and the minimum pairwise distance.
     */
    private static Map<String, double[]> cellStats(JavaSparkContext jsc, List<Cell> cells) {
        Map<String, double[]> out = new HashMap<>();
        List<Row> vals = jsc.parallelize(cells, Math.max(1, cells.size())).map(new CellStatsTask()).collect();
        for (Row r : vals) out.put(r.getString(0), new double[] {r.getDouble(1), r.getDouble(2), r.getDouble(3)});
        return out;
    }

    /**
     * For idle slots: widths that busy cells' searches may ask for in their next steps
     * ({@link WidthSearch#lookahead}, breadth first over both outcomes), one task each, shared out
     * over the busy cells. Where each search ends does not change; they find those probes recorded.
     */
    static List<List<ProbeSpec>> ahead(Job job, List<Cell> cells, Map<String, SearchState> states, Set<String> busyCells,
                                       Map<String, ProbeResult> recorded, Set<String> queued, int free) {
        List<Cell> busy = cells.stream().filter(c -> busyCells.contains(c.cellId())).toList();
        List<List<ProbeSpec>> out = new ArrayList<>();
        if (busy.isEmpty()) return out;
        Set<String> taken = new HashSet<>(queued);
        List<java.util.Iterator<Integer>> next = new ArrayList<>();
        for (Cell c : busy) next.add(WidthSearch.lookahead(states.get(c.cellId()), LOOKAHEAD_STEPS).iterator());
        boolean any = true;
        while (out.size() < free && any) {
            any = false;
            for (int i = 0; i < busy.size() && out.size() < free; i++) {
                java.util.Iterator<Integer> it = next.get(i);
                while (it.hasNext()) {
                    ProbeSpec p = spec(job, busy.get(i), it.next());
                    if (recorded.containsKey(p.probeId()) || !taken.add(p.probeId())) continue;
                    out.add(List.of(p));
                    any = true;
                    break;
                }
            }
        }
        return out;
    }

    private static void submit(JavaSparkContext jsc, List<ProbeSpec> task, int blasThreads,
                               Map<org.apache.spark.api.java.JavaFutureAction<List<ProbeResult>>, List<ProbeSpec>> inFlight,
                               Set<String> queued) {
        List<ProbeSpec> sorted = new ArrayList<>(task);
        sorted.sort(Comparator.comparingInt(ProbeSpec::width));
        var f = jsc.parallelize(List.of(sorted), 1).flatMap(new ProbeTask(blasThreads)).collectAsync();
        inFlight.put(f, sorted);
        for (ProbeSpec p : sorted) queued.add(p.probeId());
    }

    /** Blocks until at least one task in flight has finished; returns the results of all that have. */
    private static List<ProbeResult> awaitAny(
            Map<org.apache.spark.api.java.JavaFutureAction<List<ProbeResult>>, List<ProbeSpec>> inFlight, Set<String> queued) {
        List<ProbeResult> out = new ArrayList<>();
        if (inFlight.isEmpty()) return out;
        while (true) {
            for (var it = inFlight.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getKey().isDone()) continue;
                try {
                    out.addAll(e.getKey().get());
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ex);
                } catch (java.util.concurrent.ExecutionException ex) {
                    throw new IllegalStateException("a training task failed: " + ex.getCause(), ex.getCause());
                }
                for (ProbeSpec p : e.getValue()) queued.remove(p.probeId());
                it.remove();
            }
            if (!out.isEmpty()) return out;
            try {
                Thread.sleep(20);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ex);
            }
        }
    }

    /** Trains one task's probes (one cell's) as a batch on an executor; the Spark attempt number goes into the rows. */
    static final class ProbeTask implements FlatMapFunction<List<ProbeSpec>, ProbeResult> {
        private static final long serialVersionUID = 1L;
        private final int blasThreads;

        ProbeTask(int blasThreads) {
            this.blasThreads = blasThreads;
        }

        @Override
        public java.util.Iterator<ProbeResult> call(List<ProbeSpec> specs) {
            Blas.get().setThreads(blasThreads);
            TaskContext tc = TaskContext.get();
            int attempt = tc == null ? 0 : tc.attemptNumber();
            return Trainer.trainBatch(specs).stream().map(r -> r.withAttempt(attempt)).iterator();
        }
    }

    static final class CellStatsTask implements Function<Cell, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Row call(Cell c) {
            org.widthlaw.lib.data.Dataset data = Datasets.build(c.data(), c.n(), c.seed());
            double lambda0 = c.model().arch().equals("two-layer") ? Ntk.lambda0(data) : Double.NaN;
            double deep = c.model().arch().equals("fc") && c.model().activation().equals("relu")
                    ? Ntk.fcReluLambda(data, c.model().depth(), c.model().effectiveCSigma()) : Double.NaN;
            double sep = org.widthlaw.lib.theory.Theory.minPairwiseDistance(data.x(), data.n(), data.d());
            return RowFactory.create(c.cellId(), lambda0, deep, sep);
        }
    }
}
