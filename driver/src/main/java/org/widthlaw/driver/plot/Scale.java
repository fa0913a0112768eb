package org.widthlaw.driver.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An axis's range and ticks, computed once from the data so that the static and the interactive
 * plot agree. A log axis spans whole decades and has a tick at every decade (labels thinned only
 * when there are more than 12) plus a labelled tick at each of the axis's marks; a linear axis
 * has round steps of 1, 2 or 5 times a power of ten.
 */
public record Scale(boolean log, double min, double max, List<Tick> ticks) {
    /** A tick at {@code value}; {@code label} empty for an unlabelled one; {@code mark} for a data value. */
    public record Tick(double value, String label, boolean mark) {}

    public Scale {
        ticks = List.copyOf(ticks);
    }

    static Scale of(Figure.Axis axis, double[] values) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v) || (axis.log() && v <= 0)) continue;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        for (double v : axis.marks()) {
            if (Double.isFinite(v) && (!axis.log() || v > 0)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) { // nothing to draw
            lo = 1;
            hi = 10;
        }
        return axis.log() ? logScale(lo, hi, axis.marks()) : linearScale(lo, hi);
    }

    private static Scale logScale(double lo, double hi, List<Double> marks) {
        int a = (int) Math.floor(Math.log10(lo) + 1e-9);
        int b = (int) Math.ceil(Math.log10(hi) - 1e-9);
        // a value on a decade at either end would sit on the frame: one decade more on that side
        if (Math.log10(lo) - a < 0.02) a--;
        if (b - Math.log10(hi) < 0.02) b++;
        int decades = b - a;
        int every = decades <= 12 ? 1 : (int) Math.ceil(decades / 10.0);
        List<Tick> ticks = new ArrayList<>();
        for (int k = a; k <= b; k++) {
            ticks.add(new Tick(Math.pow(10, k), (k - a) % every == 0 ? decade(k) : "", false));
        }
        for (double m : marks) {
            double e = Math.log10(m);
            if (Math.abs(e - Math.rint(e)) < 1e-9) continue; // already a decade
            ticks.add(new Tick(m, number(m), true));
        }
        return new Scale(true, Math.pow(10, a), Math.pow(10, b), ticks);
    }

    private static Scale linearScale(double lo, double hi) {
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            lo = lo - Math.max(1, Math.abs(lo) * 0.1);
            hi = hi + Math.max(1, Math.abs(hi) * 0.1);
        }
        double step = niceStep((hi - lo) / 5);
        double min = Math.floor(lo / step) * step;
        double max = Math.ceil(hi / step) * step;
        if (max - hi < step * 0.05) max += step; // room above the highest point
        List<Tick> ticks = new ArrayList<>();
        for (double v = min; v <= max + step * 1e-6; v += step) {
            double r = Math.abs(v) < step * 1e-9 ? 0 : v;
            ticks.add(new Tick(r, number(r), false));
        }
        return new Scale(false, min, max, ticks);
    }

    private static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * p;
    }

    /** 10^k as it is read on an axis: plain digits from 0.001 to 100 000, else 1e k. */
    static String decade(int k) {
        if (k >= -3 && k <= 5) return number(Math.pow(10, k));
        return "1e" + k;
    }

    /** A value as a tick label: integers without decimals, others with up to 4 significant digits. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) return s;
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    /** Where v falls on this axis, from 0 (min) to 1 (max). */
    public double fraction(double v) {
        if (log) return (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
        return (v - min) / (max - min);
    }

    /** Whether v can be drawn on this axis. */
    public boolean drawable(double v) {
        return Double.isFinite(v) && (!log || v > 0);
    }
}
