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
 * Runs a job's width searches on Spark in rounds: each round asks every unfinished cell for its
 * pending widths, trains those not yet recorded as one stage (largest predicted cost first),
 * appends their rows, and folds the results into the cells' search states. Recorded probes are
 * replayed, never retrained, so a re-run resumes where the last one stopped.
 */
public final class Sweep {
    /** Spark setting: OpenBLAS threads per task (default 1, so tasks x threads never exceed the cores). */
    public static final String BLAS_THREADS = "spark.widthlaw.blas.threads";

    private Sweep() {}

    /** What a run did: the cell rows and how many probes it trained and reused. */
    public record Outcome(List<Row> cells, int trained, int reused, int rounds) {}

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
            return rounds(spark, jsc, job, store, progress, cells, blasThreads, slots);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
            progress.close();
        }
    }

    private static Outcome rounds(SparkSession spark, JavaSparkContext jsc, Job job, ResultsStore store, Progress progress,
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
        int rounds = 0;
        while (true) {
            List<ProbeSpec> todo = new ArrayList<>();
            Map<String, Cell> cellOf = new HashMap<>();
            int done = 0;
            for (Cell c : cells) {
                SearchState st = states.get(c.cellId());
                boolean waiting = false;
                while (!st.done() && !waiting) {
                    ProbeResult hit = null;
                    for (int w : st.pending()) {
                        hit = recorded.get(probeId(job.hash(), c.cellId(), w));
                        if (hit != null) break;
                    }
                    if (hit != null) {
                        st = WidthSearch.next(st, hit.width(), hit.succeeded());
                        used.get(c.cellId()).add(hit);
                        if (!trainedNow.contains(hit.probeId())) reused++;
                    } else {
                        for (int w : st.pending()) {
                            todo.add(spec(job, c, w));
                            cellOf.put(c.cellId(), c);
                        }
                        waiting = true;
                    }
                }
                states.put(c.cellId(), st);
                if (st.done()) done++;
            }
            if (todo.isEmpty()) break;
            rounds++;
            speculate(job, cells, states, recorded, todo, cellOf, slots);
            List<List<ProbeSpec>> tasks = batches(todo, slots);
            int expected = 0;
            for (SearchState st : states.values()) expected += WidthSearch.expectedRemaining(st);
            progress.round(rounds, todo.size(), tasks.size(), done, reused, expected);
            List<ProbeResult> results = jsc.parallelize(tasks, tasks.size()).flatMap(new ProbeTask(blasThreads)).collect();
            List<Row> rows = new ArrayList<>();
            for (ProbeResult r : results) {
                rows.add(Rows.probe(cellOf.get(r.cellId()), r, job.hash(), version));
                recorded.put(r.probeId(), r);
                trainedNow.add(r.probeId());
            }
            store.appendProbes(rows);
            progress.roundDone(results);
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
        return new Outcome(cellRows, trainedNow.size(), reused, rounds);
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
     * When a round has fewer probes than slots, each waiting cell also trains widths its search may
     * ask for in its next steps ({@link WidthSearch#lookahead}), breadth first, until the slots are
     * full. Where each search ends does not change; later rounds find those probes recorded.
     */
    static void speculate(Job job, List<Cell> cells, Map<String, SearchState> states, Map<String, ProbeResult> recorded,
                          List<ProbeSpec> todo, Map<String, Cell> cellOf, int slots) {
        int free = slots - todo.size();
        if (free <= 0) return;
        Set<String> queued = new HashSet<>();
        for (ProbeSpec p : todo) queued.add(p.probeId());
        List<Cell> waiting = cells.stream().filter(c -> cellOf.containsKey(c.cellId())).toList();
        int share = free / waiting.size(), extra = free % waiting.size();
        for (int i = 0; i < waiting.size(); i++) {
            Cell c = waiting.get(i);
            int budget = share + (i < extra ? 1 : 0);
            for (int w : WidthSearch.lookahead(states.get(c.cellId()), LOOKAHEAD_STEPS)) {
                if (budget == 0) break;
                String id = probeId(job.hash(), c.cellId(), w);
                if (recorded.containsKey(id) || !queued.add(id)) continue;
                todo.add(spec(job, c, w));
                budget--;
            }
        }
    }

    /**
     * The round's tasks: one per cell, its probes trained as one batch; when there are fewer cells
     * than slots, the largest batches are split so that every slot has work. Tasks are ordered by
     * predicted cost, largest first, so the longest start first.
     */
    static List<List<ProbeSpec>> batches(List<ProbeSpec> todo, int slots) {
        Map<String, List<ProbeSpec>> byCell = new LinkedHashMap<>();
        for (ProbeSpec p : todo) byCell.computeIfAbsent(p.cellId(), c -> new ArrayList<>()).add(p);
        List<List<ProbeSpec>> tasks = new ArrayList<>(byCell.values());
        for (List<ProbeSpec> t : tasks) t.sort(Comparator.comparingInt(ProbeSpec::width));
        while (tasks.size() < slots) {
            List<ProbeSpec> big = tasks.stream().filter(t -> t.size() > 1)
                    .max(Comparator.comparingInt((List<ProbeSpec> t) -> t.size())).orElse(null);
            if (big == null) break;
            tasks.remove(big);
            List<ProbeSpec> a = new ArrayList<>(), b = new ArrayList<>();
            for (int i = 0; i < big.size(); i++) (i % 2 == 0 ? a : b).add(big.get(i));
            tasks.add(a);
            tasks.add(b);
        }
        tasks.sort(Comparator.comparingDouble((List<ProbeSpec> t) -> -t.stream().mapToDouble(ProbeSpec::predictedFlops).sum())
                .thenComparing(t -> t.get(0).probeId()));
        return tasks;
    }

    /** Trains one cell's probes of a round on an executor; the Spark attempt number goes into the rows. */
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
