package org.widthlaw.driver;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.widthlaw.lib.Plural;

/**
 * Progress of a sweep on stderr. Each batch of probes appended to OUT prints a line (cells done,
 * probes trained and reused, tasks in flight, elapsed time, ETA); in between, a terminal gets a
 * status line rewritten every second, and a log a plain line every {@link #LOG_EVERY_SECS} seconds.
 * The ETA is {@link Eta}'s: the probes the searches still need, at the rate measured
 * so far, over the slots; between updates it counts down. The last line gives the share of slot
 * time spent training. Spark's own logging stays
 * quiet; these lines do not.
 */
public class Progress implements AutoCloseable {
    static final int LOG_EVERY_SECS = 30;

    private final PrintWriter out;
    private final int slots;
    private final boolean terminal;
    private final AtomicInteger tasksDone = new AtomicInteger();
    private ScheduledExecutorService ticker;
    private volatile long start;
    private volatile int cells, cellsDone, trained, reused, inFlight, probesSeen;
    /** Seconds left as last estimated, and when (System.nanoTime()); NaN before any estimate. */
    private volatile double etaSecs = Double.NaN;

    private volatile long etaAt;
    private volatile double probeSecs;
    private volatile long gdSteps;
    private volatile long lastLog;
    private volatile boolean running;
    /** What a step is ({@link org.widthlaw.lib.train.TrainSpec#stepUnit}). */
    private volatile String stepUnit = "GD steps";

    public Progress(PrintWriter out, int slots, boolean terminal) {
        this.out = out;
        this.slots = Math.max(1, slots);
        this.terminal = terminal;
    }

    public Progress(PrintWriter out, int slots) {
        this(out, slots, System.console() != null);
    }

    /** Names the steps the lines count ("GD steps" by default); returns this. */
    public Progress steps(String unit) {
        this.stepUnit = unit;
        return this;
    }

    void start(int totalCells) {
        this.cells = totalCells;
        this.start = System.nanoTime();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "widthlaw-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** A Spark task finished (called from Spark's listener thread). */
    void taskEnded() {
        tasksDone.incrementAndGet();
    }

    /** The sweep's state after a scheduling step. */
    synchronized void status(
            int cellsDone, int trainedNow, int reusedNow, int tasksInFlight, java.util.OptionalDouble secsLeft) {
        this.cellsDone = cellsDone;
        this.trained = trainedNow;
        this.reused = reusedNow;
        this.inFlight = tasksInFlight;
        this.etaSecs = secsLeft.orElse(Double.NaN);
        this.etaAt = System.nanoTime();
        running = true;
    }

    /**
     * Probes just appended to OUT/probes, with the seconds and steps this run spent on them (a continued
     * probe's earlier run left out): one line.
     */
    synchronized void recorded(int probes, double s, long steps) {
        probeSecs += s;
        gdSteps += steps;
        probesSeen += probes;
        clearStatus();
        out.printf(
                Locale.ROOT,
                "[widthlaw] recorded %s (%.1f s of training) | cells %d/%d done"
                        + " | probes trained %d, reused %d, tasks in flight %d | %s elapsed%s%n",
                Plural.of(probes, "probe"),
                s,
                cellsDone,
                cells,
                trained,
                reused,
                inFlight,
                clock(secs(start)),
                eta());
        out.flush();
        lastLog = System.nanoTime();
    }

    synchronized void finish(int trainedNow, int reusedNow) {
        if (ticker != null) ticker.shutdownNow();
        running = false;
        clearStatus();
        double wall = secs(start);
        out.printf(
                Locale.ROOT,
                "[widthlaw] done: %s, %s trained (%d %s), %d reused, %s" + " (training %.1f s = %.0f%% of %s)%n",
                Plural.of(cells, "cell"),
                Plural.of(trainedNow, "probe"),
                gdSteps,
                stepUnit,
                reusedNow,
                clock(wall),
                probeSecs,
                wall > 0 ? 100 * probeSecs / (wall * slots) : 0,
                Plural.of(slots, "slot"));
        out.flush();
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
    }

    private synchronized void tick() {
        if (!running) return;
        String line = String.format(
                Locale.ROOT,
                "[widthlaw] cells %d/%d done | probes trained %d, reused %d"
                        + " | tasks in flight %d, %d finished | %s elapsed%s",
                cellsDone,
                cells,
                trained,
                reused,
                inFlight,
                tasksDone.get(),
                clock(secs(start)),
                eta());
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            out.flush();
        } else if (secs(lastLog) >= LOG_EVERY_SECS) {
            lastLog = System.nanoTime();
            out.println(line);
            out.flush();
        }
    }

    private void clearStatus() {
        if (terminal) out.print("\r\u001b[K");
    }

    private String eta() {
        if (Double.isNaN(etaSecs)) return "";
        double left = Math.max(0, etaSecs - secs(etaAt));
        return ", ETA ~" + clock(Math.min(left, 99 * 3600));
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static String clock(double s) {
        long t = Math.round(s);
        if (t < 60) return t + "s";
        if (t < 3600) return (t / 60) + "m" + String.format(Locale.ROOT, "%02d", t % 60) + "s";
        return (t / 3600) + "h" + String.format(Locale.ROOT, "%02d", (t % 3600) / 60) + "m";
    }
}
