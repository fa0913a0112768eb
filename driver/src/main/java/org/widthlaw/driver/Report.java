package org.widthlaw.driver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.widthlaw.driver.plot.EChartsOption;
import org.widthlaw.driver.plot.Figure;
import org.widthlaw.driver.plot.Figure.Axis;
import org.widthlaw.driver.plot.Figure.Band;
import org.widthlaw.driver.plot.Figure.Censored;
import org.widthlaw.driver.plot.Figure.Datum;
import org.widthlaw.driver.plot.Figure.Line;
import org.widthlaw.driver.plot.Figure.Marker;
import org.widthlaw.driver.plot.Figure.Points;
import org.widthlaw.driver.plot.Figure.Range;
import org.widthlaw.driver.plot.Figure.Series;
import org.widthlaw.driver.plot.Figure.Spread;
import org.widthlaw.driver.plot.Figure.Stroke;
import org.widthlaw.driver.plot.StaticPlot;
import org.widthlaw.lib.Version;
import org.widthlaw.lib.data.DataKind;
import org.widthlaw.lib.fit.ScalingFit;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.reduce.GroupFit;
import org.widthlaw.lib.reduce.GroupKey;
import org.widthlaw.lib.reduce.PerN;
import org.widthlaw.lib.reduce.TheoryTable;
import org.widthlaw.lib.train.ProbeResult;

/**
 * OUT/report.html: one self-contained page that opens from disk with no network. At the top the run
 * metadata (date, command, version, machine); then, per group and budget, m* and P* against n on
 * log-log axes with the fits, the exponent's interval as a band, the per-n median and range and
 * censored cells as arrows at their lower bound; P* per sample beside P = n (and P = n k); the
 * measured width beside each theorem's; loss curves either side of the threshold; the step-budget
 * plots of a ladder; and (Fashion-MNIST) natural against shuffled test error. The charts are
 * ECharts (inlined from its WebJar): hovering a point shows its cell, the legend toggles series.
 * Every plot is also written to OUT/plots/ as SVG and as a PNG at twice the size. Everything comes
 * from stored results, so {@code widthlaw report OUT} rebuilds it.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ECHARTS = "META-INF/maven/org.webjars.npm/echarts/pom.properties";
    private static final int PNG_SCALE = 2;

    private Report() {}

    /** Where and how the report was made, shown at its top. */
    record Meta(String date, String command, String version, String machine) {
        /** This process: the time now (UTC), its command line, the build's version and commit, the host. */
        static Meta here() {
            String cmd = System.getProperty("sun.java.command", "");
            String main = Main.class.getName();
            cmd = cmd.startsWith(main) ? "widthlaw" + cmd.substring(main.length()) : cmd;
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown host";
            }
            Runtime rt = Runtime.getRuntime();
            String machine = String.format(
                    Locale.ROOT,
                    "%s: %s %s, %d CPUs, Java %s (%s)",
                    host,
                    System.getProperty("os.name"),
                    System.getProperty("os.arch"),
                    rt.availableProcessors(),
                    System.getProperty("java.version"),
                    System.getProperty("java.vendor"));
            String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
                    .format(Instant.now().atOffset(ZoneOffset.UTC));
            return new Meta(date, cmd, Version.get(), machine);
        }

        /**
         * The run that made OUT's results, from the last entry of OUT/run.json (its dates, command,
         * build and machine); this process when OUT has none (an OUT written before run.json).
         */
        static Meta of(ResultsStore store) {
            java.util.Optional<com.fasterxml.jackson.databind.JsonNode> last = RunLog.latest(store);
            if (last.isEmpty()) return here();
            com.fasterxml.jackson.databind.JsonNode r = last.get();
            String finished = r.path("finished").asText("");
            String date = r.path("started").asText("?")
                    + (finished.isEmpty() || finished.equals("null") ? " (did not finish)" : " to " + finished);
            String version = r.path("version").asText("?")
                    + (r.path("commit").asText("").isEmpty()
                            ? ""
                            : " (" + r.path("commit").asText() + ")");
            String machine = String.format(
                    Locale.ROOT,
                    "%s: %s, %s, %d cores, Java %s",
                    r.path("host").asText("?"),
                    r.path("os").asText("?"),
                    r.path("cpu").asText("?"),
                    r.path("cores").asInt(),
                    r.path("java").asText("?"));
            return new Meta(date, r.path("command").asText("?"), version, machine);
        }
    }

    public static String build(Job job, List<GroupFit> fits, List<ProbeResult> probes, ResultsStore store) {
        return build(job, fits, probes, store, Meta.here(), s -> {});
    }

    /** The page, writing every plot under plots/ and telling {@code log} what it is doing. */
    static String build(
            Job job,
            List<GroupFit> fits,
            List<ProbeResult> probes,
            ResultsStore store,
            Meta meta,
            Consumer<String> log) {
        Map<String, ProbeResult> byProbe = new HashMap<>();
        for (ProbeResult p : probes) byProbe.put(p.cellId() + "|" + p.width(), p);
        Plots plots = new Plots(job, byProbe);
        StringBuilder body = new StringBuilder();
        body.append("<h1>widthlaw: ").append(esc(job.name())).append("</h1>\n");
        body.append(metaTable(meta));
        body.append("<p>Job hash <code>")
                .append(job.hash())
                .append("</code>; ")
                .append(job.cells().size())
                .append(" cells; data ")
                .append(esc(job.data().tag()))
                .append(", d = ")
                .append(job.data().d())
                .append(
                        job.train().stochastic()
                                ? "; SGD, minibatches of " + job.train().batch()
                                        + " (a step is an epoch); epoch budgets T = "
                                : "; step budgets T = ")
                .append(job.train().budgets())
                .append(
                        job.grid().earlyStop()
                                ? job.grid().losses().size() > 1
                                        ? " (early stop on, squared loss only)"
                                        : " (early stop on)"
                                : "")
                .append(", tolerance ")
                .append(job.train().tol())
                .append("; widths searched in [")
                .append(job.search().minWidth())
                .append(", ")
                .append(job.search().maxWidth())
                .append("].</p>\n<p class=\"hint\">Hover a point to see its cell; click a legend entry to hide or show"
                        + " its series. Arrows mark cells with no m* within the budget, drawn at their lower bound"
                        + " (the widest failing width); bars beside the points are the median and range over seeds."
                        + " Each plot is also in plots/ as SVG and PNG.</p>\n");
        body.append(summaryTable(fits));
        List<Figure> figures = new ArrayList<>();
        int gi = 0;
        for (GroupFit g : fits) {
            gi++;
            String tag = String.format(
                    Locale.ROOT, "g%d-%s-L%d", gi, g.key().arch().id(), g.key().depth());
            body.append("<h2>").append(esc(title(g))).append("</h2>\n");
            body.append(cellTable(g));
            List<Figure> mine = new ArrayList<>();
            mine.add(plots.width(tag, g));
            mine.add(plots.params(tag, g));
            mine.add(plots.ratio(tag, g));
            Figure th = plots.theory(tag, g);
            if (th != null) mine.add(th);
            Figure lc = plots.loss(tag, g, probes);
            if (lc != null) mine.add(lc);
            for (Figure f : mine) body.append(figure(f));
            figures.addAll(mine);
            body.append(theoryTable(g.theory()));
        }
        body.append(budgetSections(fits, probes, plots, figures));
        Figure nat = plots.naturalVsShuffled(fits);
        if (nat != null) {
            figures.add(nat);
            body.append("<h2>Natural against shuffled labels</h2>\n").append(figure(nat));
        }
        log.accept("drawing " + figures.size() + " plots (plots/*.svg and 2x plots/*.png)");
        // drawn in parallel (each figure on its own image), written in order
        List<byte[][]> files = figures.parallelStream()
                .map(f -> new byte[][] {StaticPlot.svgBytes(f), StaticPlot.png(f, PNG_SCALE)})
                .toList();
        ObjectNode options = JSON.createObjectNode();
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            store.writeBytes("plots/" + f.file() + ".svg", files.get(i)[0]);
            store.writeBytes("plots/" + f.file() + ".png", files.get(i)[1]);
            options.set(f.file(), EChartsOption.of(f));
        }
        Library lib = Library.load();
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>widthlaw " + esc(job.name())
                + "</title>\n<style>"
                + "body{font-family:sans-serif;max-width:1640px;margin:2em auto;color:#222;padding:0 1em}"
                + "table{border-collapse:collapse;margin:1em 0}"
                + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "th{background:#f3f3f3}table.meta td,table.meta th{text-align:left}"
                + "figure{display:inline-block;margin:8px;vertical-align:top}"
                + ".chart{width:" + StaticPlot.WIDTH + "px;height:" + StaticPlot.HEIGHT + "px}"
                + "figcaption{font-size:90%;max-width:" + StaticPlot.WIDTH + "px}.hint{color:#555;font-size:90%}"
                + "</style></head><body>\n" + body
                + "<p class=\"hint\">Charts drawn with Apache ECharts " + esc(lib.version())
                + " (Apache License 2.0), included in this page.</p>\n"
                + "<script type=\"application/json\" id=\"figures\">" + jsonSafe(options.toString()) + "</script>\n"
                + "<script>\n" + scriptSafe(lib.source()) + "\n</script>\n"
                + "<script>\n" + scriptSafe(resource("report.js")) + "</script>\n"
                + "</body></html>\n";
    }

    /** ECharts from its WebJar on the classpath: the version and the minified source, with its notice. */
    record Library(String version, String source) {
        static Library load() {
            Properties p = new Properties();
            ClassLoader cl = Report.class.getClassLoader();
            try (InputStream in = cl.getResourceAsStream(ECHARTS)) {
                if (in == null) throw new IllegalStateException("the ECharts WebJar is not on the classpath");
                p.load(in);
                String v = p.getProperty("version");
                String dir = "META-INF/resources/webjars/echarts/" + v + "/";
                return new Library(
                        v,
                        "/* " + read(cl, dir + "NOTICE").replace("*/", "* /") + " */\n"
                                + read(cl, dir + "dist/echarts.min.js"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String read(ClassLoader cl, String path) throws IOException {
            try (InputStream in = cl.getResourceAsStream(path)) {
                if (in == null) throw new IllegalStateException(path + " is missing from the ECharts WebJar");
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = Report.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource " + name + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON safe inside a script element: "</" becomes the equal JSON escape "<\\/". */
    static String jsonSafe(String s) {
        return s.replace("</", "<\\/");
    }

    /**
     * Script source inside a script element. Only a closing script tag or a comment opener would
     * end or confuse the element (neither occurs in echarts.min.js or report.js); refuse rather than
     * rewrite code, since an escape inside a regular expression would change it.
     */
    static String scriptSafe(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.contains("</script") || lower.contains("<!--"))
            throw new IllegalStateException("script text contains a closing script tag or a comment opener");
        return s;
    }

    private static String metaTable(Meta m) {
        return "<table class=\"meta\"><tr><th>date</th><td>" + esc(m.date())
                + "</td></tr><tr><th>command</th><td><code>"
                + esc(m.command()) + "</code></td></tr><tr><th>version</th><td><code>" + esc(m.version())
                + "</code></td></tr><tr><th>machine</th><td>" + esc(m.machine()) + "</td></tr></table>\n";
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
        for (String nm : names)
            b.append("<th title=\"")
                    .append(esc(nm))
                    .append("\">")
                    .append(esc(theoremName(nm)))
                    .append("<br><small><code>")
                    .append(esc(nm))
                    .append("</code></small></th>");
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

    /** A theory entry's field name as a reader knows the result (scaling.json keeps the field name). */
    static String theoremName(String field) {
        return switch (field) {
            case "du2019_thm4_1_width" -> "Du, Zhai et al. 2019, Theorem 4.1";
            case "du2019_lemma3_1_width" -> "Du, Zhai et al. 2019, Lemma 3.1";
            case "du2019_deep_fc_width" -> "Du, Lee et al. 2019, deep fully connected";
            case "du2019_deep_resnet_width" -> "Du, Lee et al. 2019, ResNet";
            case "allen_zhu2019_width" -> "Allen-Zhu, Li & Song 2019";
            case "kawaguchi2019_output_width" -> "Kawaguchi & Huang 2019, output layer";
            case "degrees_of_freedom_params" -> "degrees of freedom, P = n k";
            default -> field.replace('_', ' ');
        };
    }

    /**
     * For every group searched at several step budgets: m*(T) against T per cell, P*(n) per budget
     * on one plot, P* / n against n per budget, and crossing step against width for the largest-n
     * cell of the first seed (successes at their crossing step, converging failures at their
     * extrapolated one): how convergence slows towards the threshold.
     */
    private static String budgetSections(
            List<GroupFit> fits, List<ProbeResult> probes, Plots plots, List<Figure> figures) {
        Map<GroupKey, List<GroupFit>> byGroup = new LinkedHashMap<>();
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
            List<Figure> mine = new ArrayList<>();
            Figure perCell = plots.mstarVsBudget(tag, ladder);
            if (perCell != null) mine.add(perCell);
            if (ladder.stream().anyMatch(g -> !g.cells().isEmpty())) {
                mine.add(plots.paramsPerBudget(tag, ladder));
                mine.add(plots.ratioPerBudget(tag, ladder));
            }
            Figure crossing = plots.crossing(tag, ladder, probes);
            if (crossing != null) mine.add(crossing);
            if (mine.isEmpty()) continue;
            body.append("<h2>")
                    .append(esc(title(first).replaceAll(", T=\\d+.*", "")))
                    .append(": step budgets</h2>\n");
            for (Figure f : mine) body.append(figure(f));
            figures.addAll(mine);
        }
        return body.toString();
    }

    /** The figures of the report, built from typed results; hover fields name the cell. */
    private static final class Plots {
        private static final String N = "n (samples)";
        private static final String WIDTH = "m* (hidden units per layer)";
        private static final String PARAMS = "P* (trained parameters)";
        private static final String RATIO = "P*/n (trained parameters per sample)";

        private final Job job;
        private final Map<String, ProbeResult> byProbe;

        Plots(Job job, Map<String, ProbeResult> byProbe) {
            this.job = job;
            this.byProbe = byProbe;
        }

        private int k() {
            return job.data().outputs();
        }

        private long params(GroupKey key, int m) {
            ModelSpec spec = new ModelSpec(
                    key.arch(),
                    key.depth(),
                    key.trained(),
                    key.activation(),
                    job.model().cSigma(),
                    job.model().cRes(),
                    key.arch() == org.widthlaw.lib.model.Arch.CNN ? job.grid().kernel() : 0,
                    key.arch() == org.widthlaw.lib.model.Arch.CNN && job.grid().kernel2d());
            return spec.params(m, key.d(), k());
        }

        private static Axis nAxis(List<CellResult> cells) {
            Set<Double> ns = new TreeSet<>();
            for (CellResult c : cells) ns.add((double) c.n());
            return Axis.log(N).withMarks(new ArrayList<>(ns));
        }

        /** What hovering a cell's point shows. */
        private Map<String, String> info(CellResult c) {
            Map<String, String> i = new LinkedHashMap<>();
            i.put("cell", c.cellId());
            i.put("n", Integer.toString(c.n()));
            i.put("seed", Long.toString(c.seed()));
            i.put("budget T", Integer.toString(c.budget()));
            i.put("m*", c.minWidth().isPresent() ? Integer.toString(c.minWidth().getAsInt()) : "none (unreached)");
            String lo = c.maxFailedWidth().isPresent()
                    ? Integer.toString(c.maxFailedWidth().getAsInt())
                    : "-";
            String hi = c.minWidth().isPresent() ? Integer.toString(c.minWidth().getAsInt()) : "inf";
            i.put("interval (fail, success]", "(" + lo + ", " + hi + "]");
            if (c.minParams().isPresent())
                i.put("P*", Long.toString(c.minParams().getAsLong()));
            if (c.minWidth().isPresent()) {
                ProbeResult p = byProbe.get(c.cellId() + "|" + c.minWidth().getAsInt());
                String steps = p == null
                        ? "-"
                        : p.crossing().isPresent()
                                ? Integer.toString(p.crossing().getAsInt())
                                : Integer.toString(p.steps());
                i.put("steps at m*", steps);
            }
            i.put("probes", Integer.toString(c.probes()));
            i.put("status", c.status().id());
            return i;
        }

        private static Map<String, String> spreadInfo(PerN p, PerN.Spread s, String what, double scale) {
            Map<String, String> i = new LinkedHashMap<>();
            i.put("n", Integer.toString(p.n()));
            i.put("cells", p.cells() + (p.unreached() > 0 ? " (" + p.unreached() + " unreached)" : ""));
            i.put(what + " median", fmt(s.median() / scale));
            i.put(what + " range", "[" + fmt(s.min() / scale) + ", " + fmt(s.max() / scale) + "]");
            return i;
        }

        /** Points of the measured cells, arrows of the censored ones and the per-n spread. */
        private void cellSeries(
                GroupFit g,
                List<Series> out,
                String what,
                java.util.function.ToDoubleFunction<CellResult> measured,
                java.util.function.ToDoubleFunction<CellResult> bound,
                java.util.function.Function<PerN, java.util.Optional<PerN.Spread>> spread,
                boolean perSample) {
            List<Datum> pts = new ArrayList<>(), cens = new ArrayList<>();
            for (CellResult c : g.cells()) {
                if (c.minWidth().isPresent()) pts.add(new Datum(c.n(), measured.applyAsDouble(c), info(c)));
                else if (c.maxFailedWidth().isPresent()) cens.add(new Datum(c.n(), bound.applyAsDouble(c), info(c)));
            }
            out.add(new Points(what + " (each seed)", 0, Marker.CIRCLE, pts));
            List<Range> ranges = new ArrayList<>();
            for (PerN p : g.perN()) {
                var s = spread.apply(p);
                if (s.isEmpty() || p.cells() - p.unreached() < 2) continue;
                double scale = perSample ? p.n() : 1;
                ranges.add(new Range(
                        p.n(),
                        s.get().median() / scale,
                        s.get().min() / scale,
                        s.get().max() / scale,
                        spreadInfo(p, s.get(), what, scale)));
            }
            if (!ranges.isEmpty()) out.add(new Spread("median and range over seeds", 6, ranges));
            if (!cens.isEmpty()) out.add(new Censored("unreached (lower bound)", 1, cens));
        }

        Figure width(String tag, GroupFit g) {
            List<Series> s = new ArrayList<>();
            cellSeries(
                    g,
                    s,
                    "m*",
                    c -> c.minWidth().getAsInt(),
                    c -> c.maxFailedWidth().getAsInt(),
                    PerN::minWidth,
                    false);
            return new Figure(
                    tag + "-width",
                    "Minimal width m*, T = " + g.budget(),
                    "m* against n (log-log), each seed, with the median and range per n; unreached cells as arrows"
                            + " at their lower bound",
                    nAxis(g.cells()),
                    Axis.log(WIDTH),
                    s);
        }

        private double[] nRange(GroupFit g) {
            double lo = Double.MAX_VALUE, hi = 0;
            for (CellResult c : g.cells()) {
                lo = Math.min(lo, c.n());
                hi = Math.max(hi, c.n());
            }
            if (hi == 0) return new double[0];
            double[] x = new double[24];
            for (int i = 0; i < x.length; i++) x[i] = lo * Math.pow(hi / lo, i / (double) (x.length - 1));
            return x;
        }

        /** P = n, and P = n k when there are several outputs: reference lines, not fits. */
        private void references(GroupFit g, List<Series> s, boolean perSample) {
            double[] n = nRange(g);
            if (n.length == 0) return;
            double[] y = new double[n.length];
            for (int i = 0; i < n.length; i++) y[i] = perSample ? 1 : n[i];
            s.add(Line.of("P = n", -1, Stroke.DOTTED, true, n, y));
            if (k() > 1) {
                double[] yk = new double[n.length];
                for (int i = 0; i < n.length; i++) yk[i] = perSample ? k() : n[i] * k();
                s.add(Line.of("P = n k (k = " + k() + ")", -1, Stroke.DASHED, true, n, yk));
            }
        }

        Figure params(String tag, GroupFit g) {
            List<Series> s = new ArrayList<>();
            cellSeries(
                    g,
                    s,
                    "P*",
                    c -> c.minParams().getAsLong(),
                    c -> params(g.key(), c.maxFailedWidth().getAsInt()),
                    PerN::minParams,
                    false);
            ScalingFit f = g.fit();
            double[] n = nRange(g);
            if (n.length > 0 && Double.isFinite(f.power().alpha())) {
                double alpha = f.power().alpha(), cc = f.power().logC();
                double pivot = Math.sqrt(n[0] * n[n.length - 1]);
                double atPivot = Math.exp(cc) * Math.pow(pivot, alpha);
                double[] pw = new double[n.length], lo = new double[n.length], hi = new double[n.length];
                boolean band = Double.isFinite(f.power().alphaLo())
                        && Double.isFinite(f.power().alphaHi());
                for (int i = 0; i < n.length; i++) {
                    pw[i] = Math.exp(cc) * Math.pow(n[i], alpha);
                    double a = atPivot * Math.pow(n[i] / pivot, f.power().alphaLo());
                    double b = atPivot * Math.pow(n[i] / pivot, f.power().alphaHi());
                    lo[i] = Math.min(a, b);
                    hi[i] = Math.max(a, b);
                }
                if (band)
                    s.add(new Band(
                            String.format(
                                    Locale.ROOT,
                                    "\u03b1 95%% interval [%s, %s]",
                                    f2(f.power().alphaLo()),
                                    f2(f.power().alphaHi())),
                            2,
                            n,
                            lo,
                            hi));
                s.add(Line.of(
                        String.format(Locale.ROOT, "power fit: P* = %.3g n^%s", Math.exp(cc), f2(alpha)),
                        2,
                        Stroke.SOLID,
                        false,
                        n,
                        pw));
            }
            if (n.length > 0 && Double.isFinite(f.linear().a())) {
                double[] lin = new double[n.length];
                for (int i = 0; i < n.length; i++)
                    lin[i] = f.linear().a() * n[i] + f.linear().b();
                s.add(Line.of(
                        String.format(
                                Locale.ROOT,
                                "linear fit: P* = %.3g n %+.3g",
                                f.linear().a(),
                                f.linear().b()),
                        4,
                        Stroke.DASHED,
                        false,
                        n,
                        lin));
            }
            references(g, s, false);
            return new Figure(
                    tag + "-params",
                    "Trained parameters at the threshold P*, T = " + g.budget(),
                    "P* against n (log-log) with the power fit and its exponent's 95% interval (band), the linear"
                            + " fit, and P = n",
                    nAxis(g.cells()),
                    Axis.log(PARAMS),
                    s);
        }

        Figure ratio(String tag, GroupFit g) {
            List<Series> s = new ArrayList<>();
            cellSeries(
                    g,
                    s,
                    "P*/n",
                    c -> (double) c.minParams().getAsLong() / c.n(),
                    c -> (double) params(g.key(), c.maxFailedWidth().getAsInt()) / c.n(),
                    PerN::minParams,
                    true);
            references(g, s, true);
            return new Figure(
                    tag + "-ratio",
                    "Parameters per sample P*/n, T = " + g.budget(),
                    "P*/n against n; the dotted line is P = n (one parameter per sample)",
                    nAxis(g.cells()),
                    Axis.log(RATIO),
                    s);
        }

        Figure theory(String tag, GroupFit g) {
            Map<String, List<Datum>> series = new LinkedHashMap<>();
            for (TheoryTable.Point p : g.theory().points()) {
                for (TheoryTable.Entry e : p.entries()) {
                    double req = e.required().orElse(Double.NaN);
                    if (!e.name().endsWith("_width") || !(req > 0) || !Double.isFinite(req)) continue;
                    Map<String, String> i = new LinkedHashMap<>();
                    i.put("theorem", theoremName(e.name()));
                    i.put("field", e.name());
                    i.put("n", Integer.toString(p.n()));
                    i.put("seed", Long.toString(p.seed()));
                    i.put("required width", fmt(req));
                    if (e.log10RequiredOverMeasured().isPresent())
                        i.put(
                                "log10(required / m*)",
                                fmt(e.log10RequiredOverMeasured().getAsDouble()));
                    series.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(new Datum(p.n(), req, i));
                }
            }
            List<Datum> measured = new ArrayList<>();
            for (CellResult c : g.cells())
                if (c.minWidth().isPresent())
                    measured.add(new Datum(c.n(), c.minWidth().getAsInt(), info(c)));
            if (measured.isEmpty() && series.isEmpty()) return null;
            List<Series> s = new ArrayList<>();
            s.add(new Points("measured m*", 0, Marker.CIRCLE, measured));
            Marker[] markers = {Marker.SQUARE, Marker.DIAMOND, Marker.TRIANGLE};
            int i = 0;
            for (Map.Entry<String, List<Datum>> e : series.entrySet()) {
                s.add(new Points(theoremName(e.getKey()), 1 + i, markers[i % markers.length], e.getValue()));
                i++;
            }
            return new Figure(
                    tag + "-theory",
                    "Width: measured and required by theory, T = " + g.budget(),
                    "the measured m* and each theorem's required width on the same data, on one log axis"
                            + " (hidden constants set to 1)",
                    nAxis(g.cells()),
                    Axis.log("width m (hidden units per layer)"),
                    s);
        }

        /** Loss curves of the probes at m* and at the largest failing width, for the largest-n cell. */
        Figure loss(String tag, GroupFit g, List<ProbeResult> probes) {
            CellResult cell = null;
            for (CellResult r : g.cells()) {
                if (r.minWidth().isPresent() && r.maxFailedWidth().isPresent() && (cell == null || r.n() > cell.n()))
                    cell = r;
            }
            if (cell == null) return null;
            String id = cell.cellId();
            int hi = cell.minWidth().getAsInt(), lo = cell.maxFailedWidth().getAsInt();
            List<Series> s = new ArrayList<>();
            double last = 1;
            for (ProbeResult p : probes) {
                if (!id.equals(p.cellId())) continue;
                int w = p.width();
                if (w != hi && w != lo) continue;
                List<Datum> d = new ArrayList<>();
                for (int i = 0; i < p.curveSteps().length; i++) {
                    double l = p.curveLoss()[i];
                    if (l > 0 && Double.isFinite(l)) {
                        Map<String, String> info = new LinkedHashMap<>();
                        info.put("width m", Integer.toString(w));
                        info.put("step t", Integer.toString(p.curveSteps()[i]));
                        info.put("r(t)", fmt(l));
                        d.add(new Datum(p.curveSteps()[i] + 1.0, l, info));
                        last = Math.max(last, p.curveSteps()[i] + 1.0);
                    }
                }
                if (d.isEmpty()) continue;
                s.add(new Line(
                        "m = " + w + " (" + p.status().id() + ")",
                        w == hi ? 0 : 1,
                        Stroke.SOLID,
                        false,
                        d,
                        w == hi ? Marker.CIRCLE : Marker.SQUARE));
            }
            if (s.isEmpty()) return null;
            s.add(Line.of(
                    "tolerance r = " + job.train().tol(),
                    -1,
                    Stroke.DOTTED,
                    true,
                    new double[] {1, last},
                    new double[] {job.train().tol(), job.train().tol()}));
            return new Figure(
                    tag + "-loss",
                    "Relative loss, n = " + cell.n() + ", seed " + cell.seed() + ", T = " + g.budget(),
                    "relative loss r(t) of the probes on either side of the threshold (m* and the widest failure)",
                    Axis.log("step t + 1 (" + job.train().stepUnit() + ")"),
                    Axis.log("relative loss r(t) = L(t) / L(0)"),
                    s);
        }

        Figure mstarVsBudget(String tag, List<GroupFit> ladder) {
            Map<String, List<Datum>> lines = new LinkedHashMap<>();
            List<Datum> cens = new ArrayList<>();
            Set<Double> budgets = new TreeSet<>();
            for (GroupFit g : ladder) {
                budgets.add((double) g.budget());
                for (CellResult c : g.cells()) {
                    String name = "n = " + c.n() + ", seed " + c.seed();
                    if (c.minWidth().isPresent())
                        lines.computeIfAbsent(name, k -> new ArrayList<>())
                                .add(new Datum(g.budget(), c.minWidth().getAsInt(), info(c)));
                    else if (c.maxFailedWidth().isPresent())
                        cens.add(new Datum(g.budget(), c.maxFailedWidth().getAsInt(), info(c)));
                }
            }
            if (lines.isEmpty() && cens.isEmpty()) return null;
            List<Series> s = new ArrayList<>();
            Marker[] markers = Marker.values();
            int i = 0;
            for (Map.Entry<String, List<Datum>> e : lines.entrySet()) {
                s.add(new Line(e.getKey(), i, Stroke.SOLID, false, e.getValue(), markers[i % markers.length]));
                i++;
            }
            if (!cens.isEmpty()) s.add(new Censored("unreached (lower bound)", 6, cens));
            return new Figure(
                    tag + "-mstar-vs-budget",
                    "m*(T) per cell",
                    "m*(T) against the step budget T, each cell; unreached cells as arrows at their lower bound",
                    Axis.log("step budget T (" + job.train().stepUnit() + ")").withMarks(new ArrayList<>(budgets)),
                    Axis.log(WIDTH),
                    s);
        }

        private Figure perBudget(String tag, List<GroupFit> ladder, boolean perSample) {
            List<Series> s = new ArrayList<>();
            List<CellResult> all = new ArrayList<>();
            Marker[] markers = Marker.values();
            int i = 0;
            for (GroupFit g : ladder) {
                all.addAll(g.cells());
                List<Datum> pts = new ArrayList<>(), cens = new ArrayList<>();
                for (CellResult c : g.cells()) {
                    double scale = perSample ? c.n() : 1;
                    // budgets side by side at each n (a few pixels apart), so equal values stay visible;
                    // hovering shows the true n
                    double x = c.n() * Math.pow(10, 0.012 * (i - (ladder.size() - 1) / 2.0));
                    if (c.minParams().isPresent())
                        pts.add(new Datum(x, c.minParams().getAsLong() / scale, info(c)));
                    else if (c.maxFailedWidth().isPresent())
                        cens.add(new Datum(x, params(g.key(), c.maxFailedWidth().getAsInt()) / scale, info(c)));
                }
                s.add(new Points("T = " + g.budget(), i, markers[i % markers.length], pts));
                if (!cens.isEmpty()) s.add(new Censored("T = " + g.budget() + ": unreached (lower bound)", i, cens));
                ScalingFit f = g.fit();
                double[] n = nRange(g);
                if (!perSample && n.length > 0 && Double.isFinite(f.power().alpha())) {
                    double[] pw = new double[n.length];
                    for (int j = 0; j < n.length; j++)
                        pw[j] = Math.exp(f.power().logC())
                                * Math.pow(n[j], f.power().alpha());
                    s.add(Line.of(
                            String.format(
                                    Locale.ROOT,
                                    "T = %d: power fit, \u03b1 = %s",
                                    g.budget(),
                                    f2(f.power().alpha())),
                            i,
                            Stroke.SOLID,
                            false,
                            n,
                            pw));
                }
                i++;
            }
            references(ladder.get(0), s, perSample);
            return new Figure(
                    tag + (perSample ? "-ratio-per-budget" : "-params-per-budget"),
                    perSample ? "P*/n per budget" : "P*(n) per budget",
                    perSample
                            ? "P*/n against n, one series per step budget; the dotted line is P = n"
                            : "P* against n, one series (and power fit) per step budget; the dotted line is P = n",
                    nAxis(all),
                    Axis.log(perSample ? RATIO : PARAMS),
                    s);
        }

        Figure paramsPerBudget(String tag, List<GroupFit> ladder) {
            return perBudget(tag, ladder, false);
        }

        Figure ratioPerBudget(String tag, List<GroupFit> ladder) {
            return perBudget(tag, ladder, true);
        }

        /** Crossing (or extrapolated crossing) step against width, for the largest-n cell of the first seed. */
        Figure crossing(String tag, List<GroupFit> ladder, List<ProbeResult> probes) {
            GroupFit g = ladder.get(ladder.size() - 1);
            CellResult cell = null;
            for (CellResult c : g.cells()) if (cell == null || c.n() > cell.n()) cell = c;
            if (cell == null) return null;
            String id = cell.cellId();
            List<Datum> ok = new ArrayList<>(), conv = new ArrayList<>();
            double wlo = Double.MAX_VALUE, whi = 0;
            for (ProbeResult p : probes) {
                if (!id.equals(p.cellId())) continue;
                Map<String, String> i = new LinkedHashMap<>();
                i.put("width m", Integer.toString(p.width()));
                i.put("status", p.status().id());
                if (p.crossing().isPresent()) {
                    i.put("crossing step", Integer.toString(p.crossing().getAsInt()));
                    ok.add(new Datum(p.width(), Math.max(1, p.crossing().getAsInt()), i));
                } else if (p.extrapolatedCrossing().isPresent()) {
                    i.put(
                            "extrapolated crossing step",
                            fmt(p.extrapolatedCrossing().getAsDouble()));
                    conv.add(new Datum(p.width(), p.extrapolatedCrossing().getAsDouble(), i));
                } else continue;
                wlo = Math.min(wlo, p.width());
                whi = Math.max(whi, p.width());
            }
            if (ok.isEmpty() && conv.isEmpty()) return null;
            List<Series> s = new ArrayList<>();
            s.add(new Points("success: crossing step", 0, Marker.CIRCLE, ok));
            s.add(new Points("failure: extrapolated crossing", 1, Marker.TRIANGLE, conv));
            for (GroupFit b : ladder)
                s.add(Line.of("step budgets T", -1, Stroke.DOTTED, true, new double[] {wlo, whi}, new double[] {
                    b.budget(), b.budget()
                }));
            return new Figure(
                    tag + "-crossing",
                    "Crossing step, n = " + cell.n() + ", seed " + cell.seed(),
                    "steps to reach the tolerance against width: convergence slows towards the threshold (dotted:"
                            + " the step budgets)",
                    Axis.log("width m (hidden units per layer)"),
                    Axis.log("steps to r <= tolerance (" + job.train().stepUnit() + ")"),
                    s);
        }

        /** Test error (1 - accuracy) of the probe at m*, per n, for each Fashion-MNIST group. */
        Figure naturalVsShuffled(List<GroupFit> fits) {
            List<Series> s = new ArrayList<>();
            List<CellResult> all = new ArrayList<>();
            Marker[] markers = Marker.values();
            int i = 0;
            for (GroupFit g : fits) {
                if (g.key().data() != DataKind.FASHION_MNIST) continue;
                List<Datum> d = new ArrayList<>();
                for (CellResult r : g.cells()) {
                    if (r.minWidth().isEmpty()) continue;
                    ProbeResult p = byProbe.get(r.cellId() + "|" + r.minWidth().getAsInt());
                    if (p == null || p.testAcc().isEmpty()) continue;
                    Map<String, String> info = info(r);
                    info.put("test error", fmt(1 - p.testAcc().getAsDouble()));
                    d.add(new Datum(r.n(), 1 - p.testAcc().getAsDouble(), info));
                    all.add(r);
                }
                if (d.isEmpty()) continue;
                s.add(new Points(
                        g.key().labels().id() + " labels, " + g.key().arch().id() + " L="
                                + g.key().depth() + ", T = " + g.budget(),
                        i,
                        markers[i % markers.length],
                        d));
                i++;
            }
            if (s.isEmpty()) return null;
            return new Figure(
                    "natural-vs-shuffled",
                    "Test error at m*",
                    "test error of the network at m* against n: natural against shuffled labels",
                    nAxis(all),
                    Axis.linear("test error at m* (fraction of test samples)"),
                    s);
        }
    }

    private static String figure(Figure f) {
        String svg = "plots/" + f.file() + ".svg", png = "plots/" + f.file() + ".png";
        return "<figure><div class=\"chart\" id=\"fig-" + esc(f.file()) + "\" data-figure=\"" + esc(f.file())
                + "\" role=\"img\" aria-label=\"" + esc(f.title()) + "\"></div><noscript><img alt=\""
                + esc(f.caption()) + "\" src=\"" + svg + "\"></noscript><figcaption>" + esc(f.caption())
                + " (<a href=\"" + svg + "\">SVG</a>, <a href=\"" + png + "\">PNG</a>)</figcaption></figure>\n";
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "-";
    }

    /** Two decimals, without a negative zero. */
    static String f2(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.equals("-0.00") ? "0.00" : s;
    }

    static String fmt1(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "-";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
