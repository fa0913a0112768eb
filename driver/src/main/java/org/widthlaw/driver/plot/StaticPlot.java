package org.widthlaw.driver.plot;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.widthlaw.driver.plot.Canvas.Anchor;
import org.widthlaw.driver.plot.Figure.Band;
import org.widthlaw.driver.plot.Figure.Censored;
import org.widthlaw.driver.plot.Figure.Line;
import org.widthlaw.driver.plot.Figure.Points;
import org.widthlaw.driver.plot.Figure.Series;
import org.widthlaw.driver.plot.Figure.Spread;

/**
 * A figure as a static file: SVG, and PNG at twice the size (for print and high-density screens).
 * Log axes carry a tick at every decade and a labelled tick at each mark (the n values used),
 * both axes a title with its unit, and the legend sits to the right of the plot area, never over
 * the data. Censored values are arrows pointing up from their lower bound; a spread (median and
 * range over seeds) is drawn just right of the points at its x.
 */
public final class StaticPlot {
    /** Logical size in pixels (the SVG's size; the PNG is twice as large). */
    public static final int WIDTH = 780;

    public static final int HEIGHT = 460;

    private static final double LEFT = 74, TOP = 44, RIGHT = WIDTH - 236, BOTTOM = HEIGHT - 60;
    private static final String INK = "#222222", GRID = "#e4e4e4";

    private StaticPlot() {}

    public static String svg(Figure f) {
        Canvas.Svg c = new Canvas.Svg(WIDTH, HEIGHT);
        draw(f, c);
        return c.finish();
    }

    public static byte[] svgBytes(Figure f) {
        return svg(f).getBytes(StandardCharsets.UTF_8);
    }

    /** The PNG at {@code scale} times the logical size. */
    public static byte[] png(Figure f, int scale) {
        BufferedImage img = new BufferedImage(WIDTH * scale, HEIGHT * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.scale(scale, scale);
            draw(f, new Canvas.Java2d(g));
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static void draw(Figure f, Canvas c) {
        Scale xs = f.xScale(), ys = f.yScale();
        double w = RIGHT - LEFT, h = BOTTOM - TOP;
        c.text((LEFT + RIGHT) / 2, 24, f.title(), 14, Anchor.MIDDLE, true, INK, 0);
        // grid at the labelled decades / linear ticks
        for (Scale.Tick t : xs.ticks()) {
            if (t.mark()) continue;
            double px = LEFT + xs.fraction(t.value()) * w;
            c.line(px, TOP, px, BOTTOM, GRID, 1);
        }
        for (Scale.Tick t : ys.ticks()) {
            double py = BOTTOM - ys.fraction(t.value()) * h;
            c.line(LEFT, py, RIGHT, py, GRID, 1);
        }
        Mapper m = new Mapper(xs, ys, w, h);
        c.clip(LEFT, TOP, w, h);
        for (Series s : f.series()) if (s instanceof Band b) band(b, m, c);
        for (Series s : f.series()) if (s instanceof Line l) line(l, m, c);
        for (Series s : f.series()) if (s instanceof Spread r) spread(r, m, c);
        for (Series s : f.series()) if (s instanceof Points p) points(p, m, c);
        for (Series s : f.series()) if (s instanceof Censored a) arrows(a, m, c);
        c.unclip();
        // frame and ticks
        c.polyline(
                new double[] {LEFT, RIGHT, RIGHT, LEFT, LEFT},
                new double[] {TOP, TOP, BOTTOM, BOTTOM, TOP},
                INK,
                1,
                Figure.Stroke.SOLID);
        xTicks(xs, w, c);
        yTicks(ys, h, c);
        c.text((LEFT + RIGHT) / 2, HEIGHT - 14, f.x().title(), 12.5, Anchor.MIDDLE, false, INK, 0);
        c.text(18, (TOP + BOTTOM) / 2, f.y().title(), 12.5, Anchor.MIDDLE, false, INK, -90);
        legend(f, c);
    }

    /** Data to pixels. */
    private record Mapper(Scale xs, Scale ys, double w, double h) {
        double x(double v) {
            return LEFT + xs.fraction(v) * w;
        }

        double y(double v) {
            return BOTTOM - ys.fraction(v) * h;
        }

        boolean ok(double x, double y) {
            return xs.drawable(x) && ys.drawable(y);
        }
    }

    private static void minorTicks(Scale s, java.util.function.DoubleConsumer at) {
        if (!s.log()) return;
        int a = (int) Math.round(Math.log10(s.min())), b = (int) Math.round(Math.log10(s.max()));
        if (b - a > 12) return;
        for (int k = a; k < b; k++) for (int j = 2; j <= 9; j++) at.accept(j * Math.pow(10, k));
    }

    private static void xTicks(Scale xs, double w, Canvas c) {
        minorTicks(xs, v -> {
            double px = LEFT + xs.fraction(v) * w;
            c.line(px, BOTTOM, px, BOTTOM + 3, INK, 0.8);
        });
        List<double[]> taken = new ArrayList<>();
        // decades (or linear ticks) first, then the marks where there is room
        for (boolean marks : new boolean[] {false, true}) {
            for (Scale.Tick t : xs.ticks()) {
                if (t.mark() != marks) continue;
                double px = LEFT + xs.fraction(t.value()) * w;
                c.line(px, BOTTOM, px, BOTTOM + (marks ? 7 : 5), INK, marks ? 1.2 : 1);
                if (t.label().isEmpty()) continue;
                double half = textWidth(t.label(), 11) / 2 + 3;
                boolean free = taken.stream().noneMatch(r -> px + half > r[0] && px - half < r[1]);
                if (!free) continue;
                taken.add(new double[] {px - half, px + half});
                c.text(px, BOTTOM + 19, t.label(), 11, Anchor.MIDDLE, false, marks ? "#444444" : INK, 0);
            }
        }
    }

    private static void yTicks(Scale ys, double h, Canvas c) {
        minorTicks(ys, v -> {
            double py = BOTTOM - ys.fraction(v) * h;
            c.line(LEFT - 3, py, LEFT, py, INK, 0.8);
        });
        double last = Double.NaN;
        for (Scale.Tick t : ys.ticks()) {
            double py = BOTTOM - ys.fraction(t.value()) * h;
            c.line(LEFT - 5, py, LEFT, py, INK, 1);
            if (t.label().isEmpty() || (!Double.isNaN(last) && Math.abs(py - last) < 12)) continue;
            last = py;
            c.text(LEFT - 8, py + 4, t.label(), 11, Anchor.END, false, INK, 0);
        }
    }

    private static void band(Band b, Mapper m, Canvas c) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < b.x().length; i++)
            if (m.ok(b.x()[i], b.hi()[i])) {
                xs.add(m.x(b.x()[i]));
                ys.add(m.y(b.hi()[i]));
            }
        for (int i = b.x().length - 1; i >= 0; i--)
            if (m.ok(b.x()[i], b.lo()[i])) {
                xs.add(m.x(b.x()[i]));
                ys.add(m.y(b.lo()[i]));
            }
        c.polygon(unbox(xs), unbox(ys), Palette.colour(b.colour()), 0.18);
    }

    private static void line(Line l, Mapper m, Canvas c) {
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (Figure.Datum d : l.data()) {
            if (!m.ok(d.x(), d.y())) continue;
            xs.add(m.x(d.x()));
            ys.add(m.y(d.y()));
        }
        String colour = l.reference() ? Palette.REFERENCE : Palette.colour(l.colour());
        c.polyline(unbox(xs), unbox(ys), colour, l.reference() ? 1.4 : 1.8, l.stroke());
        if (l.marker() != null)
            for (int i = 0; i < xs.size(); i++) c.marker(xs.get(i), ys.get(i), l.marker(), colour, 7);
    }

    private static void spread(Spread r, Mapper m, Canvas c) {
        String colour = Palette.colour(r.colour());
        for (Figure.Range v : r.ranges()) {
            if (!m.ok(v.x(), v.min()) || !m.ok(v.x(), v.max())) continue;
            double px = m.x(v.x()) + 9, lo = m.y(v.min()), hi = m.y(v.max()), md = m.y(v.median());
            c.line(px, lo, px, hi, colour, 1.4);
            c.line(px - 3, lo, px + 3, lo, colour, 1.4);
            c.line(px - 3, hi, px + 3, hi, colour, 1.4);
            c.line(px - 5, md, px + 5, md, colour, 2.6);
        }
    }

    private static void points(Points p, Mapper m, Canvas c) {
        for (Figure.Datum d : p.data())
            if (m.ok(d.x(), d.y())) c.marker(m.x(d.x()), m.y(d.y()), p.marker(), Palette.colour(p.colour()), 8);
    }

    static void arrow(double px, double py, String colour, Canvas c) {
        c.line(px - 4, py, px + 4, py, colour, 1.6);
        c.line(px, py, px, py - 16, colour, 1.6);
        c.polygon(new double[] {px - 4, px + 4, px}, new double[] {py - 14, py - 14, py - 22}, colour, 1);
    }

    private static void arrows(Censored a, Mapper m, Canvas c) {
        for (Figure.Datum d : a.data())
            if (m.ok(d.x(), d.y())) arrow(m.x(d.x()), m.y(d.y()), Palette.colour(a.colour()), c);
    }

    private static void legend(Figure f, Canvas c) {
        double x = RIGHT + 14, y = TOP + 4, maxY = HEIGHT - 12;
        int shown = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Series s : f.series()) {
            if (!seen.add(s.name())) {
                shown++;
                continue;
            }
            List<String> lines = wrap(s.name(), 30);
            double need = 16 * lines.size() + 4;
            if (y + need > maxY - 16 && shown < f.series().size() - 1) {
                c.text(x, y + 11, "... and " + (f.series().size() - shown) + " more", 11, Anchor.START, false, INK, 0);
                return;
            }
            glyph(s, x, y + 7, c);
            for (int i = 0; i < lines.size(); i++)
                c.text(x + 30, y + 11 + 16 * i, lines.get(i), 11, Anchor.START, false, INK, 0);
            y += need;
            shown++;
        }
    }

    private static void glyph(Series s, double x, double y, Canvas c) {
        String colour = Palette.colour(s.colour());
        if (s instanceof Points p) c.marker(x + 11, y, p.marker(), colour, 8);
        else if (s instanceof Censored) arrow(x + 11, y + 8, colour, c);
        else if (s instanceof Line l) {
            String col = l.reference() ? Palette.REFERENCE : colour;
            c.polyline(new double[] {x, x + 24}, new double[] {y, y}, col, l.reference() ? 1.4 : 1.8, l.stroke());
            if (l.marker() != null) c.marker(x + 12, y, l.marker(), col, 7);
        } else if (s instanceof Band)
            c.polygon(new double[] {x, x + 24, x + 24, x}, new double[] {y - 5, y - 5, y + 5, y + 5}, colour, 0.25);
        else if (s instanceof Spread) {
            c.line(x + 11, y - 6, x + 11, y + 6, colour, 1.4);
            c.line(x + 6, y, x + 16, y, colour, 2.6);
        }
    }

    /** Words into lines of at most {@code width} characters (a longer word stays whole). */
    static List<String> wrap(String s, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : s.split(" ")) {
            if (cur.length() > 0 && cur.length() + 1 + word.length() > width) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) cur.append(' ');
            cur.append(word);
        }
        if (cur.length() > 0 || out.isEmpty()) out.add(cur.toString());
        return out;
    }

    /** An estimate of a label's width in pixels (the same in SVG and PNG, so the layout agrees). */
    static double textWidth(String s, double size) {
        return s.length() * size * 0.58;
    }

    private static double[] unbox(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
