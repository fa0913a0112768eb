package org.widthlaw.driver;

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
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.widthlaw.lib.data.DataKind;
import org.widthlaw.lib.fit.ScalingFit;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.reduce.GroupFit;
import org.widthlaw.lib.reduce.TheoryTable;
import org.widthlaw.lib.train.ProbeResult;

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

    public static String build(Job job, List<GroupFit> fits, List<ProbeResult> probes, ResultsStore store) {
        System.setProperty("java.awt.headless", "true");
        List<Plot> plots = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        body.append("<h1>widthlaw: ").append(esc(job.name())).append("</h1>\n");
        body.append("<p>Job hash <code>")
                .append(job.hash())
                .append("</code>; ")
                .append(job.cells().size())
                .append(" cells; data ")
                .append(esc(job.data().tag()))
                .append(", d = ")
                .append(job.data().d())
                .append("; step budgets T = ")
                .append(job.train().budgets())
                .append(job.train().earlyStop() ? " (early stop on)" : "")
                .append(", tolerance ")
                .append(job.train().tol())
                .append("; widths searched in [")
                .append(job.search().minWidth())
                .append(", ")
                .append(job.search().maxWidth())
                .append("].</p>\n");
        body.append(summaryTable(fits));
        int gi = 0;
        for (GroupFit g : fits) {
            gi++;
            String tag = String.format(
                    Locale.ROOT, "g%d-%s-L%d", gi, g.key().arch().id(), g.key().depth());
            body.append("<h2>").append(esc(title(g))).append("</h2>\n");
            body.append(cellTable(g));
            List<Plot> mine = new ArrayList<>();
            mine.add(plot(
                    tag + "-width.png",
                    "m* against n (log-log), each seed; unreached cells at their lower bound",
                    widthChart(g)));
            mine.add(plot(
                    tag + "-params.png",
                    "P* against n (log-log), with the linear and power fits, the exponent's 95% interval and P = n",
                    paramsChart(g)));
            mine.add(plot(tag + "-ratio.png", "P*/n against n; the line is P = n", ratioChart(g)));
            TheoryTable theory = g.theory();
            XYChart th = theoryChart(g, theory);
            if (th != null)
                mine.add(plot(tag + "-theory.png", "measured width against each theorem's (log scale)", th));
            XYChart lc = lossChart(g, probes);
            if (lc != null)
                mine.add(plot(tag + "-loss.png", "relative loss of the probes on either side of the threshold", lc));
            for (Plot p : mine) body.append(figure(p));
            plots.addAll(mine);
            body.append(theoryTable(theory));
        }
        body.append(budgetSections(fits, probes, plots));
        XYChart nat = naturalVsShuffled(fits, probes);
        if (nat != null) {
            Plot p =
                    plot("natural-vs-shuffled.png", "test error at m* against n: natural against shuffled labels", nat);
            plots.add(p);
            body.append("<h2>Natural against shuffled labels</h2>\n").append(figure(p));
        }
        for (Plot p : plots) store.writeBytes("plots/" + p.file(), p.png());
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>widthlaw " + esc(job.name())
                + "</title>\n<style>"
                + "body{font-family:sans-serif;max-width:1400px;margin:2em auto;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0}"
                + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "th{background:#f3f3f3}figure{display:inline-block;margin:8px}"
                + "figcaption{font-size:90%;max-width:640px}"
                + "</style></head><body>\n" + body + "</body></html>\n";
    }

    private static String title(GroupFit g) {
        return Summary.title(g) + (g.budgetBound() ? " (budget-bound)" : "");
    }

    private static String summaryTable(List<GroupFit> fits) {
        StringBuilder b = new StringBuilder("<table><tr><th>group</th><th>cells</th><th>alpha</th><th>alpha 95% CI</th>"
                + "<th>a (P* = a n + b)</th><th>a 95% CI</th><th>R&sup2;</th><th>AIC lin / pow / quad</th>"
                + "<th>verdict</th></tr>\n");
        for (GroupFit g : fits) {
            ScalingFit f = g.fit();
            b.append("<tr><td style=\"text-align:left\">")
                    .append(esc(title(g)))
                    .append("</td><td>")
                    .append(g.cells().size())
                    .append("</td><td>")
                    .append(fmt(f.power().alpha()))
                    .append("</td><td>[")
                    .append(fmt(f.power().alphaLo()))
                    .append(", ")
                    .append(fmt(f.power().alphaHi()))
                    .append("]</td><td>")
                    .append(fmt(f.linear().a()))
                    .append("</td><td>[")
                    .append(fmt(f.linear().aLo()))
                    .append(", ")
                    .append(fmt(f.linear().aHi()))
                    .append("]</td><td>")
                    .append(fmt(f.linear().r2()))
                    .append("</td><td>")
                    .append(fmt1(f.aic().linear()))
                    .append(" / ")
                    .append(fmt1(f.aic().power()))
                    .append(" / ")
                    .append(fmt1(f.aic().quadratic()))
                    .append("</td><td>")
                    .append(f.verdict())
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String cellTable(GroupFit g) {
        StringBuilder b =
                new StringBuilder("<table><tr><th>n</th><th>seed</th><th>m* interval (fail, success]</th><th>P*</th>"
                        + "<th>P*/n</th><th>status</th><th>probes</th></tr>\n");
        for (CellResult c : g.cells()) {
            String m = c.minWidth().isPresent() ? Integer.toString(c.minWidth().getAsInt()) : "&infin;";
            String lo = c.maxFailedWidth().isPresent()
                    ? Integer.toString(c.maxFailedWidth().getAsInt())
                    : "-";
            int n = c.n();
            String p = c.minParams().isPresent() ? Long.toString(c.minParams().getAsLong()) : "-";
            String ratio =
                    c.minParams().isPresent() ? fmt((double) c.minParams().getAsLong() / n) : "-";
            b.append("<tr><td>")
                    .append(n)
                    .append("</td><td>")
                    .append(c.seed())
                    .append("</td><td>(")
                    .append(lo)
                    .append(", ")
                    .append(m)
                    .append("]</td><td>")
                    .append(p)
                    .append("</td><td>")
                    .append(ratio)
                    .append("</td><td>")
                    .append(c.status().id())
                    .append("</td><td>")
                    .append(c.probes())
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String theoryTable(TheoryTable theory) {
        if (theory.points().isEmpty()) return "";
        StringBuilder b = new StringBuilder(
                "<p>Theory: each theorem's requirement on the same data, as log10(required / measured) "
                        + "(widths against m*, parameter counts against P*); " + esc(theory.constants())
                        + ", &delta; = " + theory.delta() + ".</p>\n<table><tr><th>n</th><th>seed</th>");
        List<String> names = theory.points().get(0).entries().stream()
                .map(TheoryTable.Entry::name)
                .toList();
        for (String nm : names) b.append("<th>").append(esc(nm)).append("</th>");
        b.append("</tr>\n");
        for (TheoryTable.Point p : theory.points()) {
            b.append("<tr><td>")
                    .append(p.n())
                    .append("</td><td>")
                    .append(p.seed())
                    .append("</td>");
            for (TheoryTable.Entry e : p.entries()) {
                String v = e.log10RequiredOverMeasured().isPresent()
                        ? fmt(e.log10RequiredOverMeasured().getAsDouble())
                        : "<small>" + esc(e.missing().orElse("-")) + "</small>";
                b.append("<td>").append(v).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static XYChart chart(String title, String x, String y, boolean logX, boolean logY) {
        XYChart c = new XYChartBuilder()
                .width(W)
                .height(H)
                .title(title)
                .xAxisTitle(x)
                .yAxisTitle(y)
                .build();
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
        if (dashed)
            s.setLineStyle(
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    }

    private static double[] nRange(GroupFit g) {
        double lo = Double.MAX_VALUE, hi = 0;
        for (CellResult c : g.cells()) {
            lo = Math.min(lo, c.n());
            hi = Math.max(hi, c.n());
        }
        double[] x = new double[24];
        for (int i = 0; i < x.length; i++) x[i] = lo * Math.pow(hi / lo, i / (double) (x.length - 1));
        return x;
    }

    private static XYChart widthChart(GroupFit g) {
        XYChart c = chart("minimal width m*", "n", "m*", true, true);
        List<Double> x = new ArrayList<>(), y = new ArrayList<>(), ux = new ArrayList<>(), uy = new ArrayList<>();
        for (CellResult r : g.cells()) {
            if (r.minWidth().isPresent()) {
                x.add((double) r.n());
                y.add((double) r.minWidth().getAsInt());
            } else if (r.maxFailedWidth().isPresent()) {
                ux.add((double) r.n());
                uy.add((double) r.maxFailedWidth().getAsInt());
            }
        }
        scatter(c, "m* (each seed)", x, y);
        scatter(c, "unreached (lower bound)", ux, uy);
        if (x.isEmpty() && ux.isEmpty()) scatter(c, "none", List.of(1.0), List.of(1.0));
        return c;
    }

    private static XYChart paramsChart(GroupFit g) {
        XYChart c = chart("trained parameters at the threshold P*", "n", "P*", true, true);
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (CellResult r : g.cells()) {
            if (r.minParams().isPresent()) {
                x.add((double) r.n());
                y.add((double) r.minParams().getAsLong());
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
        if (Double.isFinite(f.power().alpha())) {
            double alpha = f.power().alpha(), cc = f.power().logC();
            double pivot = Math.sqrt(n[0] * n[n.length - 1]);
            double atPivot = Math.exp(cc) * Math.pow(pivot, alpha);
            double[] pw = new double[n.length],
                    lo = new double[n.length],
                    hi = new double[n.length],
                    lin = new double[n.length];
            for (int i = 0; i < n.length; i++) {
                pw[i] = Math.exp(cc) * Math.pow(n[i], alpha);
                lo[i] = atPivot * Math.pow(n[i] / pivot, f.power().alphaLo());
                hi[i] = atPivot * Math.pow(n[i] / pivot, f.power().alphaHi());
                lin[i] = Math.max(1e-9, f.linear().a() * n[i] + f.linear().b());
            }
            line(c, String.format(Locale.ROOT, "power: n^%.2f", alpha), n, pw, false);
            line(
                    c,
                    String.format(
                            Locale.ROOT,
                            "alpha 95%% CI [%.2f, %.2f]",
                            f.power().alphaLo(),
                            f.power().alphaHi()),
                    n,
                    lo,
                    true);
            line(c, "alpha CI (upper)", n, hi, true);
            line(
                    c,
                    String.format(
                            Locale.ROOT,
                            "linear: %.2f n %+.0f",
                            f.linear().a(),
                            f.linear().b()),
                    n,
                    lin,
                    false);
        }
        return c;
    }

    private static XYChart ratioChart(GroupFit g) {
        XYChart c = chart("parameters per sample P*/n", "n", "P*/n", true, false);
        List<Double> x = new ArrayList<>(), y = new ArrayList<>();
        for (CellResult r : g.cells()) {
            if (r.minParams().isPresent()) {
                x.add((double) r.n());
                y.add((double) r.minParams().getAsLong() / r.n());
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

    private static XYChart theoryChart(GroupFit g, TheoryTable theory) {
        XYChart c = chart("width: measured and required by theory", "n", "width (log10)", true, false);
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (TheoryTable.Point p : theory.points()) {
            for (TheoryTable.Entry e : p.entries()) {
                double req = e.required().orElse(Double.NaN);
                if (e.name().endsWith("_width") && req > 0) {
                    series.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(new double[] {p.n(), Math.log10(req)});
                }
            }
        }
        List<Double> mx = new ArrayList<>(), my = new ArrayList<>();
        for (CellResult r : g.cells()) {
            if (r.minWidth().isPresent()) {
                mx.add((double) r.n());
                my.add(Math.log10(r.minWidth().getAsInt()));
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
    private static XYChart lossChart(GroupFit g, List<ProbeResult> probes) {
        CellResult cell = null;
        for (CellResult r : g.cells()) {
            if (r.minWidth().isPresent() && r.maxFailedWidth().isPresent() && (cell == null || r.n() > cell.n()))
                cell = r;
        }
        if (cell == null) return null;
        String id = cell.cellId();
        int hi = cell.minWidth().getAsInt(), lo = cell.maxFailedWidth().getAsInt();
        XYChart c = chart("relative loss, n = " + cell.n() + ", seed " + cell.seed(), "step + 1", "r(t)", true, true);
        for (ProbeResult p : probes) {
            if (!id.equals(p.cellId())) continue;
            int w = p.width();
            if (w != hi && w != lo) continue;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (int i = 0; i < p.curveSteps().length; i++) {
                double l = p.curveLoss()[i];
                if (l > 0 && Double.isFinite(l)) {
                    x.add(p.curveSteps()[i] + 1.0);
                    y.add(l);
                }
            }
            if (x.isEmpty()) continue;
            XYSeries s = c.addSeries("m = " + w + " (" + p.status().id() + ")", x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return c.getSeriesMap().isEmpty() ? null : c;
    }

    /**
     * For every group searched at several step budgets: m*(T) against T per cell, P*(n) per budget
     * on one plot, P* / n against n per budget, and crossing step against width for the largest-n
     * cell of the first seed (successes at their crossing step, converging failures at their
     * extrapolated one): how convergence slows towards the threshold.
     */
    private static String budgetSections(List<GroupFit> fits, List<ProbeResult> probes, List<Plot> plots) {
        Map<org.widthlaw.lib.reduce.GroupKey, List<GroupFit>> byGroup = new LinkedHashMap<>();
        for (GroupFit g : fits)
            byGroup.computeIfAbsent(g.key(), k -> new ArrayList<>()).add(g);
        StringBuilder body = new StringBuilder();
        int gi = 0;
        for (List<GroupFit> ladder : byGroup.values()) {
            gi++;
            if (ladder.size() < 2) continue;
            GroupFit first = ladder.get(0);
            String tag = String.format(
                    Locale.ROOT,
                    "b%d-%s-L%d",
                    gi,
                    first.key().arch().id(),
                    first.key().depth());
            XYChart perCell = chart("m*(T) per cell", "step budget T (steps)", "m* (hidden units)", true, true);
            Map<String, List<double[]>> cellSeries = new LinkedHashMap<>();
            for (GroupFit g : ladder) {
                for (CellResult c : g.cells()) {
                    if (c.minWidth().isEmpty()) continue;
                    cellSeries
                            .computeIfAbsent("n=" + c.n() + " s" + c.seed(), k -> new ArrayList<>())
                            .add(new double[] {g.budget(), c.minWidth().getAsInt()});
                }
            }
            cellSeries.forEach((name, pts) -> {
                double[] x = pts.stream().mapToDouble(v -> v[0]).toArray();
                double[] y = pts.stream().mapToDouble(v -> v[1]).toArray();
                line(perCell, name, x, y, false);
            });
            XYChart params = chart("P*(n) per budget", "n (samples)", "P* (trained parameters)", true, true);
            XYChart ratio = chart("P*/n per budget", "n (samples)", "P*/n", true, false);
            for (GroupFit g : ladder) {
                List<Double> x = new ArrayList<>(), y = new ArrayList<>(), r = new ArrayList<>();
                for (CellResult c : g.cells()) {
                    if (c.minParams().isEmpty()) continue;
                    x.add((double) c.n());
                    y.add((double) c.minParams().getAsLong());
                    r.add((double) c.minParams().getAsLong() / c.n());
                }
                scatter(params, "T = " + g.budget(), x, y);
                scatter(ratio, "T = " + g.budget(), x, r);
            }
            XYChart crossing = crossingChart(ladder.get(ladder.size() - 1), probes);
            List<Plot> mine = new ArrayList<>();
            if (!cellSeries.isEmpty())
                mine.add(plot(tag + "-mstar-vs-budget.png", "m*(T) against T, each cell", perCell));
            if (!params.getSeriesMap().isEmpty()) {
                mine.add(plot(tag + "-params-per-budget.png", "P* against n, one series per budget", params));
                mine.add(plot(tag + "-ratio-per-budget.png", "P*/n against n, one series per budget", ratio));
            }
            if (crossing != null) {
                mine.add(plot(
                        tag + "-crossing.png",
                        "crossing step against width: convergence slows towards the threshold",
                        crossing));
            }
            if (mine.isEmpty()) continue;
            body.append("<h2>")
                    .append(esc(title(first).replaceAll(", T=\\d+.*", "")))
                    .append(": step budgets</h2>\n");
            for (Plot p : mine) body.append(figure(p));
            plots.addAll(mine);
        }
        return body.toString();
    }

    /** Crossing (or extrapolated crossing) step against width, for the largest-n cell of the first seed. */
    private static XYChart crossingChart(GroupFit g, List<ProbeResult> probes) {
        CellResult cell = null;
        for (CellResult c : g.cells()) if (cell == null || c.n() > cell.n()) cell = c;
        if (cell == null) return null;
        String id = cell.cellId();
        List<Double> sx = new ArrayList<>(), sy = new ArrayList<>(), cx = new ArrayList<>(), cy = new ArrayList<>();
        for (ProbeResult p : probes) {
            if (!id.equals(p.cellId())) continue;
            if (p.crossing().isPresent()) {
                sx.add((double) p.width());
                sy.add((double) Math.max(1, p.crossing().getAsInt()));
            } else if (p.extrapolatedCrossing().isPresent()) {
                cx.add((double) p.width());
                cy.add(p.extrapolatedCrossing().getAsDouble());
            }
        }
        if (sx.isEmpty() && cx.isEmpty()) return null;
        XYChart c = chart(
                "crossing step, n = " + cell.n() + ", seed " + cell.seed(),
                "width m (hidden units)",
                "steps to r <= tol",
                true,
                true);
        scatter(c, "success: crossing step", sx, sy);
        scatter(c, "converging failure: extrapolated", cx, cy);
        return c;
    }

    /** Test error (1 - accuracy) of the probe at m*, per n, for each Fashion-MNIST group. */
    private static XYChart naturalVsShuffled(List<GroupFit> fits, List<ProbeResult> probes) {
        Map<String, ProbeResult> byProbe = new TreeMap<>();
        for (ProbeResult p : probes) byProbe.put(p.cellId() + "|" + p.width(), p);
        XYChart c = chart("test error at m*", "n", "test error", true, false);
        for (GroupFit g : fits) {
            if (g.key().data() != DataKind.FASHION_MNIST) continue;
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (CellResult r : g.cells()) {
                if (r.minWidth().isEmpty()) continue;
                ProbeResult p = byProbe.get(r.cellId() + "|" + r.minWidth().getAsInt());
                if (p == null || p.testAcc().isEmpty()) continue;
                x.add((double) r.n());
                y.add(1 - p.testAcc().getAsDouble());
            }
            scatter(
                    c,
                    g.key().labels().id() + " labels, " + g.key().arch().id() + " L="
                            + g.key().depth(),
                    x,
                    y);
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
                + Base64.getEncoder().encodeToString(p.png()) + "\"><figcaption>" + esc(p.caption()) + " (plots/"
                + p.file()
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
