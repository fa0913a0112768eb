package org.widthlaw.driver.plot;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;

/**
 * The few drawing operations a static plot needs, in logical pixels, written either as SVG
 * elements ({@link Svg}) or onto a Java2D surface ({@link Java2d}, the PNG). One layout drives both.
 */
interface Canvas {
    enum Anchor {
        START,
        MIDDLE,
        END
    }

    void polyline(double[] x, double[] y, String colour, double width, Figure.Stroke stroke);

    void polygon(double[] x, double[] y, String fill, double opacity);

    void marker(double x, double y, Figure.Marker marker, String colour, double size);

    void text(double x, double y, String s, double size, Anchor anchor, boolean bold, String colour, double rotate);

    /** Clips what follows to a rectangle, until {@link #unclip()}. */
    void clip(double x, double y, double w, double h);

    void unclip();

    default void line(double x1, double y1, double x2, double y2, String colour, double width) {
        polyline(new double[] {x1, x2}, new double[] {y1, y2}, colour, width, Figure.Stroke.SOLID);
    }

    static double[] dashes(Figure.Stroke stroke) {
        return switch (stroke) {
            case SOLID -> null;
            case DASHED -> new double[] {7, 4};
            case DOTTED -> new double[] {2, 3};
        };
    }

    /** The marker's outline around (x, y) of about {@code size} pixels across. */
    static double[][] markerShape(Figure.Marker m, double x, double y, double size) {
        double r = size / 2;
        return switch (m) {
            case CIRCLE -> {
                int k = 16;
                double[] xs = new double[k], ys = new double[k];
                for (int i = 0; i < k; i++) {
                    xs[i] = x + r * Math.cos(2 * Math.PI * i / k);
                    ys[i] = y + r * Math.sin(2 * Math.PI * i / k);
                }
                yield new double[][] {xs, ys};
            }
            case SQUARE ->
                new double[][] {
                    {x - r * 0.85, x + r * 0.85, x + r * 0.85, x - r * 0.85},
                    {y - r * 0.85, y - r * 0.85, y + r * 0.85, y + r * 0.85}
                };
            case DIAMOND -> new double[][] {{x, x + r * 1.1, x, x - r * 1.1}, {y - r * 1.1, y, y + r * 1.1, y}};
            case TRIANGLE -> new double[][] {{x, x + r, x - r}, {y - r, y + r * 0.8, y + r * 0.8}};
        };
    }

    /** SVG elements in a string. */
    final class Svg implements Canvas {
        private final StringBuilder b = new StringBuilder();
        private int clips;

        Svg(int width, int height) {
            b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                    .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                    .append(width)
                    .append("\" height=\"")
                    .append(height)
                    .append("\" viewBox=\"0 0 ")
                    .append(width)
                    .append(' ')
                    .append(height)
                    .append("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n")
                    .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        }

        private static String f(double v) {
            String s = String.format(Locale.ROOT, "%.2f", v);
            return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
        }

        private static String points(double[] x, double[] y) {
            StringBuilder p = new StringBuilder();
            for (int i = 0; i < x.length; i++) {
                if (i > 0) p.append(' ');
                p.append(f(x[i])).append(',').append(f(y[i]));
            }
            return p.toString();
        }

        @Override
        public void polyline(double[] x, double[] y, String colour, double width, Figure.Stroke stroke) {
            b.append("<polyline fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"")
                    .append(f(width))
                    .append('"');
            double[] d = dashes(stroke);
            if (d != null)
                b.append(" stroke-dasharray=\"")
                        .append(f(d[0]))
                        .append(' ')
                        .append(f(d[1]))
                        .append('"');
            b.append(" points=\"").append(points(x, y)).append("\"/>\n");
        }

        @Override
        public void polygon(double[] x, double[] y, String fill, double opacity) {
            b.append("<polygon fill=\"")
                    .append(fill)
                    .append("\" fill-opacity=\"")
                    .append(f(opacity))
                    .append("\" stroke=\"none\" points=\"")
                    .append(points(x, y))
                    .append("\"/>\n");
        }

        @Override
        public void marker(double x, double y, Figure.Marker marker, String colour, double size) {
            double[][] s = markerShape(marker, x, y, size);
            b.append("<polygon fill=\"")
                    .append(colour)
                    .append("\" fill-opacity=\"0.85\" stroke=\"#ffffff\" stroke-width=\"0.8\" points=\"")
                    .append(points(s[0], s[1]))
                    .append("\"/>\n");
        }

        @Override
        public void text(
                double x, double y, String s, double size, Anchor anchor, boolean bold, String colour, double rotate) {
            b.append("<text x=\"")
                    .append(f(x))
                    .append("\" y=\"")
                    .append(f(y))
                    .append("\" font-size=\"")
                    .append(f(size))
                    .append("\" fill=\"")
                    .append(colour)
                    .append("\" text-anchor=\"")
                    .append(anchor.name().toLowerCase(Locale.ROOT))
                    .append('"');
            if (bold) b.append(" font-weight=\"bold\"");
            if (rotate != 0)
                b.append(" transform=\"rotate(")
                        .append(f(rotate))
                        .append(' ')
                        .append(f(x))
                        .append(' ')
                        .append(f(y))
                        .append(")\"");
            b.append('>').append(escape(s)).append("</text>\n");
        }

        @Override
        public void clip(double x, double y, double w, double h) {
            clips++;
            b.append("<clipPath id=\"clip")
                    .append(clips)
                    .append("\"><rect x=\"")
                    .append(f(x))
                    .append("\" y=\"")
                    .append(f(y))
                    .append("\" width=\"")
                    .append(f(w))
                    .append("\" height=\"")
                    .append(f(h))
                    .append("\"/></clipPath>\n<g clip-path=\"url(#clip")
                    .append(clips)
                    .append(")\">\n");
        }

        @Override
        public void unclip() {
            b.append("</g>\n");
        }

        String finish() {
            return b + "</svg>\n";
        }

        static String escape(String s) {
            return s.replace("&", "&amp;")
                    .replace("<", "&lt;")
                    .replace(">", "&gt;")
                    .replace("\"", "&quot;");
        }
    }

    /** A Java2D surface (an image at some scale). */
    final class Java2d implements Canvas {
        private final Graphics2D g;
        private Shape saved;

        Java2d(Graphics2D g) {
            this.g = g;
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        }

        private static Color colour(String hex) {
            return Color.decode(hex);
        }

        private static Path2D path(double[] x, double[] y, boolean close) {
            Path2D.Double p = new Path2D.Double();
            p.moveTo(x[0], y[0]);
            for (int i = 1; i < x.length; i++) p.lineTo(x[i], y[i]);
            if (close) p.closePath();
            return p;
        }

        @Override
        public void polyline(double[] x, double[] y, String colour, double width, Figure.Stroke stroke) {
            if (x.length == 0) return;
            double[] d = dashes(stroke);
            g.setColor(colour(colour));
            g.setStroke(
                    d == null
                            ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND)
                            : new BasicStroke(
                                    (float) width,
                                    BasicStroke.CAP_BUTT,
                                    BasicStroke.JOIN_ROUND,
                                    10f,
                                    new float[] {(float) d[0], (float) d[1]},
                                    0f));
            g.draw(path(x, y, false));
        }

        @Override
        public void polygon(double[] x, double[] y, String fill, double opacity) {
            if (x.length == 0) return;
            var old = g.getComposite();
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) opacity));
            g.setColor(colour(fill));
            g.fill(path(x, y, true));
            g.setComposite(old);
        }

        @Override
        public void marker(double x, double y, Figure.Marker marker, String colour, double size) {
            double[][] s = markerShape(marker, x, y, size);
            Path2D p = path(s[0], s[1], true);
            var old = g.getComposite();
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.85f));
            g.setColor(colour(colour));
            g.fill(p);
            g.setComposite(old);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(0.8f));
            g.draw(p);
        }

        @Override
        public void text(
                double x, double y, String s, double size, Anchor anchor, boolean bold, String colour, double rotate) {
            Font font = new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size);
            g.setFont(font);
            g.setColor(colour(colour));
            FontMetrics fm = g.getFontMetrics();
            Rectangle2D r = fm.getStringBounds(s, g);
            double dx = switch (anchor) {
                case START -> 0;
                case MIDDLE -> -r.getWidth() / 2;
                case END -> -r.getWidth();
            };
            AffineTransform t = g.getTransform();
            g.translate(x, y);
            if (rotate != 0) g.rotate(Math.toRadians(rotate));
            g.drawString(s, (float) dx, 0f);
            g.setTransform(t);
        }

        @Override
        public void clip(double x, double y, double w, double h) {
            saved = g.getClip();
            g.clip(new Rectangle2D.Double(x, y, w, h));
        }

        @Override
        public void unclip() {
            g.setClip(saved);
        }
    }
}
