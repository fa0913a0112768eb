package org.widthlaw.driver;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.widthlaw.lib.train.ProbeResult;

/**
 * Progress of a sweep on stderr. Every round prints a line (cells done, probes trained and reused,
 * elapsed time, ETA); inside a round, a terminal gets a status line rewritten every second with the
 * round's finished tasks, and a log gets a plain line every {@link #LOG_EVERY_SECS} seconds. The
 * ETA is the probes the searches still expect times the mean probe time so far, over the slots.
 * Spark's own logging stays quiet; these lines do not.
 */
public class Progress implements AutoCloseable {
    static final int LOG_EVERY_SECS = 30;

    private final PrintWriter out;
    private final int slots;
    private final boolean terminal;
    private final AtomicInteger tasksDone = new AtomicInteger();
    private ScheduledExecutorService ticker;
    private volatile long start;
    private volatile int cells, cellsDone, trained, reused, round, roundTasks, remaining;
    private volatile double probeSecs;
    private volatile long roundStart, lastLog;
    private volatile boolean inRound;

    public Progress(PrintWriter out, int slots, boolean terminal) {
        this.out = out;
        this.slots = Math.max(1, slots);
        this.terminal = terminal;
    }

    public Progress(PrintWriter out, int slots) {
        this(out, slots, System.console() != null);
    }

    /** A progress that prints nothing (tests). */
    public static Progress silent() {
        return new Progress(new PrintWriter(java.io.Writer.nullWriter()), 1, false);
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

    /** A Spark task of the current round finished (called from Spark's listener thread). */
    void taskEnded() {
        tasksDone.incrementAndGet();
    }

    synchronized void round(int round, int probes, int tasks, int cellsDone, int reused, int expectedRemaining) {
        this.round = round;
        this.roundTasks = tasks;
        this.cellsDone = cellsDone;
        this.reused = reused;
        this.remaining = expectedRemaining;
        tasksDone.set(0);
        roundStart = System.nanoTime();
        lastLog = roundStart;
        clearStatus();
        out.printf(Locale.ROOT, "[widthlaw] round %d: training %d probes in %d tasks | cells %d/%d done | probes trained %d, reused %d | %s elapsed%s%n",
                round, probes, tasks, cellsDone, cells, trained, reused, clock(secs(start)), eta());
        out.flush();
        inRound = true;
    }

    synchronized void roundDone(List<ProbeResult> results) {
        inRound = false;
        trained += results.size();
        double s = 0;
        for (ProbeResult r : results) s += r.secs();
        probeSecs += s;
        double wall = secs(roundStart);
        clearStatus();
        out.printf(Locale.ROOT, "[widthlaw]   %d probes in %.1f s (%.1f s of training, %.0f%% of %d slots)%n",
                results.size(), wall, s, wall > 0 ? 100 * s / (wall * slots) : 0, slots);
        out.flush();
    }

    synchronized void finish(int trainedNow, int reusedNow) {
        if (ticker != null) ticker.shutdownNow();
        clearStatus();
        out.printf(Locale.ROOT, "[widthlaw] done: %d cells, %d probes trained, %d reused, %s%n", cells, trainedNow, reusedNow,
                clock(secs(start)));
        out.flush();
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
    }

    private synchronized void tick() {
        if (!inRound) return;
        String line = String.format(Locale.ROOT, "[widthlaw] round %d: %d/%d tasks done | cells %d/%d | %s elapsed%s", round,
                tasksDone.get(), roundTasks, cellsDone, cells, clock(secs(start)), eta());
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
        if (trained == 0 || remaining == 0) return "";
        double perProbe = probeSecs / trained;
        double left = remaining * perProbe / slots;
        if (inRound) left = Math.max(0, left - secs(roundStart));
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
