package org.widthlaw.driver;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.widthlaw.lib.train.ProbeResult;

/**
 * Progress of a sweep on stderr: one line per round (cells done, probes trained and reused,
 * elapsed time and an ETA from the pace so far). Spark's own logging stays quiet; these lines do not.
 */
public class Progress {
    private final PrintWriter out;
    private final int slots;
    private long start;
    private int cells;
    private int trained;
    private double probeSecs;
    private long roundStart;

    public Progress(PrintWriter out, int slots) {
        this.out = out;
        this.slots = Math.max(1, slots);
    }

    /** A progress that prints nothing (tests). */
    public static Progress silent() {
        return new Progress(new PrintWriter(java.io.Writer.nullWriter()), 1);
    }

    void start(int totalCells) {
        this.cells = totalCells;
        this.start = System.nanoTime();
    }

    void round(int round, int probes, int cellsDone, int reused) {
        roundStart = System.nanoTime();
        String eta = "";
        if (trained > 0 && cellsDone > 0) {
            double elapsed = secs(start);
            double remaining = elapsed * (cells - cellsDone) / Math.max(1, cellsDone);
            eta = String.format(Locale.ROOT, ", ETA ~%s", clock(Math.min(remaining, 99 * 3600)));
        }
        out.printf(Locale.ROOT, "[widthlaw] round %d: training %d probes | cells %d/%d done | probes trained %d, reused %d | %s elapsed%s%n",
                round, probes, cellsDone, cells, trained, reused, clock(secs(start)), eta);
        out.flush();
    }

    void roundDone(List<ProbeResult> results) {
        trained += results.size();
        double s = 0;
        for (ProbeResult r : results) s += r.secs();
        probeSecs += s;
        double wall = secs(roundStart);
        out.printf(Locale.ROOT, "[widthlaw]   %d probes in %.1f s (%.1f s of training, %.0f%% of %d slots)%n",
                results.size(), wall, s, wall > 0 ? 100 * s / (wall * slots) : 0, slots);
        out.flush();
    }

    void finish(int trainedNow, int reused) {
        out.printf(Locale.ROOT, "[widthlaw] done: %d cells, %d probes trained, %d reused, %s%n", cells, trainedNow, reused,
                clock(secs(start)));
        out.flush();
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
