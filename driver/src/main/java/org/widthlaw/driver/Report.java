package org.widthlaw.driver;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.widthlaw.lib.fit.ScalingFit;

/**
 * OUT/report.html: one self-contained page (plots embedded, and also written to OUT/plots/) with,
 * per group, m* and P* against n on log-log axes with the fits and the exponent's interval, P* per sample
 * against n beside P = n, the measured width beside each theorem's, loss curves of the probes on
 * either side of the threshold, and (Fashion-MNIST) natural against shuffled test error. Charts are
 * drawn by XChart; everything comes from stored results, so {@code widthlaw report OUT} rebuilds it.
 */
public final class Report {
    private static final int W = 640;
    private static final int H = 420;

    private Report() {}

    /** A chart written as PNG: its file name under plots/ and its bytes. */
    record Plot(String file, String caption, byte[] png) {}

    public static String build(Job job, List<Reducer.GroupFit> fits, List<Row> probes, JsonNode scaling, ResultsStore store) {
        System.setProperty("java.awt.headless", "true");
        List<Plot> plots = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        body.append("<h1>widthlaw: ").append(esc(job.name())).append("</h1>\n");
        body.append("<p>Job hash <code>").append(job.hash()).append("</code>; ").append(job.cells().size())
                .append(" cells; data ").append(esc(job.data().tag())).append(", d = ").append(job.data().d())
                .append("; T = ").append(job.train().steps()).append(" steps, tolerance ").append(job.train().tol())
                .append("; widths searched in [").append(job.search().minWidth()).append(", ").append(job.search().maxWidth())
                .append("].</p>\n");
        body.append(summaryTable(fits));
        int gi = 0;
        for (Reducer.GroupFit g : fits) {
            gi++;
            String tag = String.format(Locale.ROOT, "g%d-%s-L%d", gi, g.key().arch(), g.key().depth());
            body.append("<h2>").append(esc(title(g))).append("</h2>\n");
            body.append(cellTable(g));
            List<Plot> mine = new ArrayList<>();
            mine.add(plot(tag + "-width.png", "m* against n (log-log), each seed; unreached cells at their lower bound",
                    widthChart(g)));
            mine.add(plot(tag + "-params.png", "P* against n (log-log), with the linear and power fits, the exponent's 95% interval and P = n",
                    paramsChart(g)));
            mine.add(plot(tag + "-ratio.png", "P*/n against n; the line is P = n", ratioChart(g)));
            JsonNode theory = theoryOf(scaling, gi - 1);
            XYChart th = theoryChart(g, theory);
            if (th != null) mine.add(plot(tag + "-theory.png", "measured width against each theorem's (log scale)", th));
            XYChart lc = lossChart(g, probes);
            if (lc != null) mine.add(plot(tag + "-loss.png", "relative loss of the probes on either side of the threshold", lc));
            for (Plot p : mine) body.append(figure(p));
            plots.addAll(mine);
            body.append(theoryTable(theory));
        }
        XYChart nat = naturalVsShuffled(fits, probes);
        if (nat != null) {
            Plot p = plot("natural-vs-shuffled.png", "test error at m* against n: natural against shuffled labels", nat);
            plots.add(p);
            body.append("<h2>Natural against shuffled labels</h2>\n").append(figure(p));
        }
        for (Plot p : plots) store.writeBytes("plots/" + p.file(), p.png());
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>widthlaw " + esc(job.name()) + "</title>\n<style>"
                + "body{font-family:sans-serif;max-width:1400px;margin:2em auto;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "th{background:#f3f3f3}figure{display:inline-block;margin:8px}figcaption{font-size:90%;max-width:640px}"
                + "</style></head><body>\n" + body + "</body></html>\n";
    }

    private static String title(Reducer.GroupFit g) {
        var k = g.key();
        return String.format(Locale.ROOT, "%s, L = %d, d = %d, %s/%s, trained %s, %s", k.arch(), k.depth(), k.d(), k.data(),
                k.labels(), k.trained(), k.activation());
    }

    private static String summaryTable(List<Reducer.GroupFit> fits) {
        StringBuilder b = new StringBuilder("<table><tr><th>group</th><th>cells</th><th>alpha</th><th>alpha 95% CI</th>"
                + "<th>a (P* = a n + b)</th><th>a 95% CI</th><th>R&sup2;</th><th>AIC lin / pow / quad</th><th>verdict</th></tr>\n");
        for (Reducer.GroupFit g : fits) {
            ScalingFit f = g.fit();
            b.append("<tr><td style=\"text-align:left\">").append(esc(title(g))).append("</td><td>").append(g.cells().size())
                    .append("</td><td>").append(fmt(f.power().alpha())).append("</td><td>[").append(fmt(f.power().alphaLo()))
                    .append(", ").append(fmt(f.power().alphaHi())).append("]</td><td>").append(fmt(f.linear().a()))
                    .append("</td><td>[").append(fmt(f.linear().aLo())).append(", ").append(fmt(f.linear().aHi()))
                    .append("]</td><td>").append(fmt(f.linear().r2())).append("</td><td>").append(fmt1(f.aic().linear()))
                    .append(" / ").append(fmt1(f.aic().power())).append(" / ").append(fmt1(f.aic().quadratic()))
                    .append("</td><td>").append(f.verdict()).append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String cellTable(Reducer.GroupFit g) {
        StringBuilder b = new StringBuilder("<table><tr><th>n</th><th>seed</th><th>m* interval (fail, success]</th><th>P*</th>"
                + "<th>P*/n</th><th>status</th><th>probes</th></tr>\n");
        for (Row r : g.cells()) {
            Integer m = r.getAs("min_width");
            Integer lo = r.getAs("max_failed_width");
            Long p = r.getAs("min_params");
            int n = r.getAs("n");
            b.append("<tr><td>").append(n).append("</td><td>").append(r.<Long>getAs("seed")).append("</td><td>(")
                    .append(lo == null ? "-" : lo).append(", ").append(m == null ? "&infin;" : m).append("]</td><td>")
                    .append(p == null ? "-" : p).append("</td><td>").append(p == null ? "-" : fmt((double) p / n))
                    .append("</td><td>").append(r.<String>getAs("status")).append("</td><td>").append(r.<Integer>getAs("probes"))
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static JsonNode theoryOf(JsonNode scaling, int i) {
        if (scaling == null || !scaling.has("groups") || scaling.get("groups").size() <= i) return null;
        return scaling.get("groups").get(i).get("theory");
    }

    private static String theoryTable(JsonNode theory) {
        if (theory == null) return "";
        StringBuilder b = new StringBuilder("<p>Theory: each theorem's requirement on the same data, as log10(required / measured) "
                + "(widths against m*, parameter counts against P*); " + esc(theory.path("constants").asText())
                + ", &delta; = " + theory.path("delta").asText() + ".</p>\n<table><tr><th>n</th><th>seed</th>");
        List<String> names = new ArrayList<>();
        JsonNode pts = theory.path("points");
        if (pts.isEmpty()) return "";
        pts.get(0).fieldNames().forEachRemaining(f -> {
            if (pts.get(0).get(f).isObject()) names.add(f);
        });
        for (String nm : names) b.append("<th>").append(esc(nm)).append("</th>");
        b.append("</tr>\n");
        for (JsonNode p : pts) {
            b.append("<tr><td>").append(p.path("n").asText()).append("</td><td>").append(p.path("seed").asText()).append("</td>");
            for (String nm : names) {
                JsonNode e = p.get(nm);
                String v = e.hasNonNull("log10_required_over_measured") ? fmt(e.get("log10_required_over_measured").asDouble())
                        : "<small>" + esc(e.path("missing").asText("-")) + "</small>";
                b.append("<td>").append(v).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static XYChart chart(String title, String x, String y, boolean logX, boolean logY) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(7);
        return c;
    }

    private static void scatter(XYChart c, String name, List<Double> x, List<Double> y) {
        if (x.isEmpty()) return;
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }

    private static void line(XYChart c, String name, double[] x, double[] y, boolean dashed) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        if (dashed) s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }

    private static double[] nRange(Reducer.GroupFit g) {
        double lo = Double.MAX_VALUE, hi = 0;
        for (Row r : g.cells()) {
            int n = r.getAs("n");
            lo = Math.min(lo, n);
            hi = Math.max(hi, n);
        }
        double[] x = new double[24];
        for (int i = 0; i < x.length; i++) x[i] = lo * Math.pow(hi / lo, i / (double) (x.length - 1));
        return x;
    }

    private static XYChart widthChart(Reducer.GroupFit g) {
        XYChart c = chart("minimal width m*", "n", "m*", true, true);
        List<Double> x = new ArrayList<>(), y = new ArrayList<>(), ux = new ArrayList<>(), uy = new ArrayList<>();
        for (Row r : g.cells()) {
            Integer m = r.getAs("min_width");
            if (m != null) {
                x.add(((Integer) r.getAs("n")).doubleValue());
                y.add(m.doubleValue());
            } else if (r.getAs("max_failed_width") != null) {
                ux.add(((Integer) r.getAs("n")).doubleValue());
                uy.add(((Integer) r.getAs("max_failed_width")).doubleValue());
            }
        }
        scatter(c, "m* (each seed)", x, y);
        scatter(c, "unreached (lower bound)", ux, uy);
        if (x.isEmpty() && ux.isEmpty()) scatter(c, "none", List.of(1.0), List.of(1.0));
        return c;
    }

    private static XYChart paramsChart(Reducer.GroupFit g) {
        XYChart c = chart("trained parameters at the threshold P*", "n", "P*", true, true);
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (Row r : g.cells()) {
            Long p = r.getAs("min_params");
            if (p != null) {
                x.add(((Integer) r.getAs("n")).doubleValue());
                y.add(p.doubleValue());
            }
        }
        if (x.isEmpty()) {
            scatter(c, "no measured P*", List.of(1.0), List.of(1.0));
            return c;
        }
        scatter(c, "P* (each seed)", x, y);
        ScalingFit f = g.fit();
        double[] n = nRange(g);
        line(c, "P = n", n, n.clone(), true);
        if (!f.verdict().equals(ScalingFit.INSUFFICIENT)) {
            double alpha = f.power().alpha(), cc = f.power().c();
            double pivot = Math.sqrt(n[0] * n[n.length - 1]);
            double atPivot = Math.exp(cc) * Math.pow(pivot, alpha);
            double[] pw = new double[n.length], lo = new double[n.length], hi = new double[n.length], lin = new double[n.length];
            for (int i = 0; i < n.length; i++) {
                pw[i] = Math.exp(cc) * Math.pow(n[i], alpha);
                lo[i] = atPivot * Math.pow(n[i] / pivot, f.power().alphaLo());
                hi[i] = atPivot * Math.pow(n[i] / pivot, f.power().alphaHi());
                lin[i] = Math.max(1e-9, f.linear().a() * n[i] + f.linear().b());
            }
            line(c, String.format(Locale.ROOT, "power: n^%.2f", alpha), n, pw, false);
            line(c, String.format(Locale.ROOT, "alpha 95%% CI [%.2f, %.2f]", f.power().alphaLo(), f.power().alphaHi()), n, lo, true);
            line(c, "alpha CI (upper)", n, hi, true);
            line(c, String.format(Locale.ROOT, "linear: %.2f n %+.0f", f.linear().a(), f.linear().b()), n, lin, false);
        }
        return c;
    }

    private static XYChart ratioChart(Reducer.GroupFit g) {
        XYChart c = chart("parameters per sample P*/n", "n", "P*/n", true, false);
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (Row r : g.cells()) {
            Long p = r.getAs("min_params");
            int n = r.getAs("n");
            if (p != null) {
                x.add((double) n);
                y.add((double) p / n);
            }
        }
        if (x.isEmpty()) {
            scatter(c, "no measured P*", List.of(1.0), List.of(1.0));
            return c;
        }
        scatter(c, "P*/n (each seed)", x, y);
        double[] n = nRange(g);
        double[] one = new double[n.length];
        java.util.Arrays.fill(one, 1.0);
        line(c, "P = n", n, one, true);
        return c;
    }

    private static XYChart theoryChart(Reducer.GroupFit g, JsonNode theory) {
        if (theory == null) return null;
        XYChart c = chart("width: measured and required by theory", "n", "width (log10)", true, false);
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (JsonNode p : theory.path("points")) {
            double n = p.path("n").asDouble();
            p.fieldNames().forEachRemaining(f -> {
                JsonNode e = p.get(f);
                if (e.isObject() && f.endsWith("_width") && e.hasNonNull("required") && e.get("required").asDouble() > 0) {
                    series.computeIfAbsent(f, k -> new ArrayList<>()).add(new double[] {n, Math.log10(e.get("required").asDouble())});
                }
            });
        }
        List<Double> mx = new ArrayList<>(), my = new ArrayList<>();
        for (Row r : g.cells()) {
            Integer m = r.getAs("min_width");
            if (m != null) {
                mx.add(((Integer) r.getAs("n")).doubleValue());
                my.add(Math.log10(m));
            }
        }
        if (mx.isEmpty() && series.isEmpty()) return null;
        scatter(c, "measured m*", mx, my);
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (double[] v : e.getValue()) {
                x.add(v[0]);
                y.add(v[1]);
            }
            scatter(c, e.getKey(), x, y);
        }
        return c;
    }

    /** Loss curves of the probes at m* and at the largest failing width, for the largest-n cell of the first seed. */
    private static XYChart lossChart(Reducer.GroupFit g, List<Row> probes) {
        Row cell = null;
        for (Row r : g.cells()) {
            if (r.getAs("min_width") != null && r.getAs("max_failed_width") != null
                    && (cell == null || r.<Integer>getAs("n") > cell.<Integer>getAs("n"))) cell = r;
        }
        if (cell == null) return null;
        String id = cell.getAs("cell_id");
        int hi = cell.getAs("min_width"), lo = cell.getAs("max_failed_width");
        XYChart c = chart("relative loss, n = " + cell.getAs("n") + ", seed " + cell.getAs("seed"), "step + 1", "r(t)", true, true);
        for (Row p : probes) {
            if (!id.equals(p.getAs("cell_id"))) continue;
            int w = p.getAs("width");
            if (w != hi && w != lo) continue;
            List<Integer> st = p.getList(p.fieldIndex("curve_steps"));
            List<Double> ls = p.getList(p.fieldIndex("curve_loss"));
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < st.size(); i++) {
                if (ls.get(i) > 0 && Double.isFinite(ls.get(i))) {
                    x.add(st.get(i) + 1.0);
                    y.add(ls.get(i));
                }
            }
            if (x.isEmpty()) continue;
            XYSeries s = c.addSeries("m = " + w + " (" + p.getAs("status") + ")", x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return c.getSeriesMap().isEmpty() ? null : c;
    }

    /** Test error (1 - accuracy) of the probe at m*, per n, for each Fashion-MNIST group. */
    private static XYChart naturalVsShuffled(List<Reducer.GroupFit> fits, List<Row> probes) {
        Map<String, Row> byProbe = new TreeMap<>();
        for (Row p : probes) byProbe.put(p.getAs("cell_id") + "|" + p.getAs("width"), p);
        XYChart c = chart("test error at m*", "n", "test error", true, false);
        for (Reducer.GroupFit g : fits) {
            if (!g.key().data().equals("fashion-mnist")) continue;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (Row r : g.cells()) {
                Integer m = r.getAs("min_width");
                if (m == null) continue;
                Row p = byProbe.get(r.getAs("cell_id") + "|" + m);
                if (p == null || p.getAs("test_acc") == null) continue;
                x.add(((Integer) r.getAs("n")).doubleValue());
                y.add(1 - p.<Double>getAs("test_acc"));
            }
            scatter(c, g.key().labels() + " labels, " + g.key().arch() + " L=" + g.key().depth(), x, y);
        }
        return c.getSeriesMap().isEmpty() ? null : c;
    }

    private static Plot plot(String file, String caption, XYChart chart) {
        try {
            return new Plot(file, caption, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String figure(Plot p) {
        return "<figure><img alt=\"" + esc(p.caption()) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(p.png()) + "\"><figcaption>" + esc(p.caption()) + " (plots/" + p.file()
                + ")</figcaption></figure>\n";
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "-";
    }

    static String fmt1(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "-";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
