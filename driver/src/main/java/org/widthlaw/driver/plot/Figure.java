package org.widthlaw.driver.plot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One plot of the report: a title, two axes and its series, in data coordinates. Nothing here
 * knows how it is drawn; {@link StaticPlot} and {@link EChartsOption} draw the same figure.
 *
 * @param file the file name under OUT/plots/ without extension
 * @param caption one sentence saying what the plot shows
 */
public record Figure(String file, String title, String caption, Axis x, Axis y, List<Series> series) {
    public Figure {
        series = List.copyOf(series);
    }

    /**
     * An axis: its title (with the unit), logarithmic or linear, and values that get their own
     * labelled tick beside the decades (the n values of a sweep).
     */
    public record Axis(String title, boolean log, List<Double> marks) {
        public Axis {
            marks = List.copyOf(marks);
        }

        public static Axis log(String title) {
            return new Axis(title, true, List.of());
        }

        public static Axis linear(String title) {
            return new Axis(title, false, List.of());
        }

        public Axis withMarks(List<Double> values) {
            return new Axis(title, log, values);
        }
    }

    /** Marker shapes of point series. */
    public enum Marker {
        CIRCLE,
        SQUARE,
        DIAMOND,
        TRIANGLE
    }

    /** How a line is drawn: fits solid, intervals dashed, reference lines (P = n) dotted. */
    public enum Stroke {
        SOLID,
        DASHED,
        DOTTED
    }

    /**
     * A data point with what hovering it shows (field name to value, in order; empty for none).
     */
    public record Datum(double x, double y, Map<String, String> info) {
        public Datum {
            info = new LinkedHashMap<>(info);
        }

        public static Datum of(double x, double y) {
            return new Datum(x, y, Map.of());
        }
    }

    /** Median and range of several values at one x, drawn beside the points at that x. */
    public record Range(double x, double median, double min, double max, Map<String, String> info) {
        public Range {
            info = new LinkedHashMap<>(info);
        }
    }

    /** One series; {@code colour} indexes {@link Palette}. */
    public sealed interface Series permits Points, Censored, Line, Band, Spread {
        String name();

        int colour();
    }

    /** Measured points. */
    public record Points(String name, int colour, Marker marker, List<Datum> data) implements Series {
        public Points {
            data = List.copyOf(data);
        }
    }

    /** Censored values: each datum is a lower bound, drawn as an arrow pointing up from it. */
    public record Censored(String name, int colour, List<Datum> data) implements Series {
        public Censored {
            data = List.copyOf(data);
        }
    }

    /** A curve through (x, y), in order; {@code reference} marks lines that are not fits (P = n). */
    public record Line(String name, int colour, Stroke stroke, boolean reference, List<Datum> data, Marker marker)
            implements Series {
        public Line {
            data = List.copyOf(data);
        }

        public static Line of(String name, int colour, Stroke stroke, boolean reference, double[] x, double[] y) {
            List<Datum> d = new ArrayList<>();
            for (int i = 0; i < x.length; i++) d.add(Datum.of(x[i], y[i]));
            return new Line(name, colour, stroke, reference, d, null);
        }
    }

    /** The region between two curves over the same x (an interval of a fit). */
    public record Band(String name, int colour, double[] x, double[] lo, double[] hi) implements Series {
        public Band {
            if (x.length != lo.length || x.length != hi.length)
                throw new IllegalArgumentException("a band needs as many lower and upper values as x values");
            x = x.clone();
            lo = lo.clone();
            hi = hi.clone();
        }
    }

    /** Per-x median and range (min to max), drawn as a bar with a median mark beside the points. */
    public record Spread(String name, int colour, List<Range> ranges) implements Series {
        public Spread {
            ranges = List.copyOf(ranges);
        }
    }

    /**
     * Every (x, y) the series draw (ranges at both ends, arrows with their heads), for the axis
     * ranges. A fit (a line without markers that is no reference) and a band count for x only: the
     * data set the y range, and a fit running far from it is clipped rather than squeezing the data.
     */
    List<double[]> extent() {
        List<double[]> xy = new ArrayList<>();
        for (Series s : series) {
            if (s instanceof Points p) p.data().forEach(d -> xy.add(new double[] {d.x(), d.y()}));
            else if (s instanceof Line l && (l.reference() || l.marker() != null))
                l.data().forEach(d -> xy.add(new double[] {d.x(), d.y()}));
            else if (s instanceof Line l) l.data().forEach(d -> xy.add(new double[] {d.x(), Double.NaN}));
            else if (s instanceof Censored c)
                c.data().forEach(d -> {
                    xy.add(new double[] {d.x(), d.y()});
                    xy.add(new double[] {d.x(), d.y() * (y.log() ? 1.6 : 1.0)});
                });
            else if (s instanceof Band b) {
                for (int i = 0; i < b.x().length; i++) xy.add(new double[] {b.x()[i], Double.NaN});
            } else if (s instanceof Spread r)
                r.ranges().forEach(v -> {
                    xy.add(new double[] {v.x(), v.min()});
                    xy.add(new double[] {v.x(), v.max()});
                });
        }
        return xy;
    }

    /** The x scale: the axis range and its ticks. */
    public Scale xScale() {
        return Scale.of(x, extent().stream().mapToDouble(v -> v[0]).toArray());
    }

    /** The y scale. */
    public Scale yScale() {
        return Scale.of(y, extent().stream().mapToDouble(v -> v[1]).toArray());
    }
}
