package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.widthlaw.driver.plot.StaticPlot;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.reduce.GroupFit;
import org.widthlaw.lib.reduce.Reducer;

/** report.html and OUT/plots/ built from the fixture of {@link GoldenTest}. */
class ReportTest {
    private static final Report.Meta META =
            new Report.Meta("2026-11-29 00:00:00 UTC", "widthlaw report out", "0.1.0+abc1234", "host: Linux amd64");

    private static String build(Job job, List<GroupFit> fits, Path dir) throws Exception {
        try (SparkSession spark = Sparks.session("report", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, dir.toString())) {
            return Report.build(job, fits, GoldenTest.probes(), store, META, s -> {});
        }
    }

    /** The figures' ECharts options, from the page's JSON block. */
    private static JsonNode figures(String html) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"figures\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(m.find(), "the figures' JSON block");
        return new ObjectMapper().readTree(m.group(1).replace("<\\/", "</"));
    }

    private static List<String> chartNames(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<div class=\"chart\"[^>]*data-figure=\"([^\"]+)\"")
                .matcher(html);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    private static Document xml(Path svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(svg.toFile());
    }

    private static List<String> texts(Document d) {
        NodeList t = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.getLength(); i++) out.add(t.item(i).getTextContent());
        return out;
    }

    @Test
    void theReportIsOneOfflinePageWithAnInteractiveChartPerPlot(@TempDir Path dir) throws Exception {
        Job job = JobParser.parse(GoldenTest.JOB, "fixture");
        List<GroupFit> fits = Reducer.reduce(GoldenTest.cells(), job.hash(), 1);
        String html = build(job, fits, dir);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<h1>widthlaw: fixture</h1>"));
        assertTrue(html.contains("(4096, &infin;]"), "an unreached cell shows its interval");
        // run metadata at the top, before the first plot
        int meta = html.indexOf("<table class=\"meta\">");
        assertTrue(meta > 0 && meta < html.indexOf("class=\"chart\""), "metadata table before the plots");
        for (String v : List.of("2026-11-29 00:00:00 UTC", "widthlaw report out", "0.1.0+abc1234", "host: Linux amd64"))
            assertTrue(html.substring(meta, html.indexOf("</table>", meta)).contains(v), v);
        // the library is inlined and nothing is fetched
        assertTrue(html.contains("echarts.init("), "the page draws with ECharts");
        assertTrue(html.contains("Apache ECharts"), "ECharts' notice is kept");
        assertTrue(html.length() > 900_000, "echarts.min.js is inlined, not linked");
        assertFalse(Pattern.compile("<script[^>]*\\ssrc\\s*=", Pattern.CASE_INSENSITIVE)
                .matcher(html)
                .find());
        assertFalse(
                Pattern.compile("<(link|img|iframe|script)[^>]*(href|src)\\s*=\\s*[\"']?(https?:)?//")
                        .matcher(html)
                        .find(),
                "no resource from the network");
        // one chart per plot, each with its option, an SVG and a 2x PNG
        List<String> charts = chartNames(html);
        assertEquals(
                List.of(
                        "g1-two-layer-L2-width",
                        "g1-two-layer-L2-params",
                        "g1-two-layer-L2-ratio",
                        "g1-two-layer-L2-theory",
                        "g1-two-layer-L2-loss"),
                charts);
        JsonNode figs = figures(html);
        Set<String> keys = new HashSet<>();
        figs.fieldNames().forEachRemaining(keys::add);
        assertEquals(Set.copyOf(charts), keys, "one option per chart");
        for (String c : charts) {
            Path svg = dir.resolve("plots").resolve(c + ".svg");
            List<String> t = texts(xml(svg));
            assertTrue(t.contains("n (samples)") || t.contains("step t + 1 (GD steps)"), c + ": x axis title");
            byte[] png = Files.readAllBytes(dir.resolve("plots").resolve(c + ".png"));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(2 * StaticPlot.WIDTH, img.getWidth(), c + ".png is twice the SVG's size");
            assertEquals(2 * StaticPlot.HEIGHT, img.getHeight());
        }
        // hovering a point shows its cell: n, seed, m*, interval, steps at m*, probes
        JsonNode width = figs.get("g1-two-layer-L2-width");
        JsonNode points = width.get("series").get(0);
        assertEquals("m* (each seed)", points.get("name").asText());
        assertEquals(5, points.get("data").size(), "the five cells with an m*");
        JsonNode n200 = null;
        for (JsonNode d : points.get("data"))
            if (d.get("info").get("n").asText().equals("200")) n200 = d;
        assertEquals("0", n200.get("info").get("seed").asText());
        assertEquals("45", n200.get("info").get("m*").asText());
        assertEquals(
                "(44, 45]", n200.get("info").get("interval (fail, success]").asText());
        assertEquals("9000", n200.get("info").get("steps at m*").asText(), "the crossing step of the probe at m*");
        assertEquals("9", n200.get("info").get("probes").asText());
        // the unreached cell is an arrow at its lower bound, not dropped
        JsonNode censored = null;
        for (JsonNode s : width.get("series")) if (s.get("name").asText().startsWith("unreached")) censored = s;
        assertEquals(1, censored.get("data").size());
        assertEquals(200.0, censored.get("data").get(0).get("value").get(0).asDouble());
        assertEquals(4096.0, censored.get("data").get(0).get("value").get(1).asDouble());
        assertTrue(censored.get("symbol").asText().startsWith("path://"), "drawn as an arrow");
        // the per-n spread and the alpha band; readable theorem names
        Set<String> types = new HashSet<>();
        for (JsonNode s : figs.get("g1-two-layer-L2-params").get("series"))
            if (s.has("renderItem")) types.add(s.get("renderItem").asText());
        assertEquals(Set.of("band", "spread"), types);
        String theory = figs.get("g1-two-layer-L2-theory").toString();
        assertTrue(theory.contains("Du, Zhai et al. 2019, Theorem 4.1"));
        assertFalse(theory.contains("\"name\":\"du2019_thm4_1_width\""), "series named for readers, not by field");
        assertEquals(
                "log",
                figs.get("g1-two-layer-L2-theory").get("yAxis").get("type").asText());
    }

    @Test
    void theStaticPlotsHaveTitledAxesAndTheirLegendOutsideTheData(@TempDir Path dir) throws Exception {
        Job job = JobParser.parse(GoldenTest.JOB, "fixture");
        build(job, Reducer.reduce(GoldenTest.cells(), job.hash(), 1), dir);
        Document d = xml(dir.resolve("plots/g1-two-layer-L2-params.svg"));
        List<String> t = texts(d);
        assertTrue(t.contains("n (samples)"));
        assertTrue(t.contains("P* (trained parameters)"));
        for (String decade : List.of("10", "100", "1000")) assertTrue(t.contains(decade), "decade " + decade);
        assertTrue(t.contains("50") && t.contains("200"), "ticks at the n values used");
        assertTrue(t.stream().anyMatch(s -> s.startsWith("\u03b1 95% interval")), "the alpha band in the legend");
        assertTrue(t.contains("P = n"), "P = n named apart from the fits");
        // every legend label lies right of the plot frame
        NodeList all = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        double frameRight = Double.NaN;
        NodeList lines = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        for (int i = 0; i < lines.getLength(); i++) {
            String pts = lines.item(i).getAttributes().getNamedItem("points").getNodeValue();
            if (pts.split(" ").length == 5) // the frame: a closed rectangle
            frameRight = Double.parseDouble(pts.split(" ")[1].split(",")[0]);
        }
        assertTrue(frameRight > 0);
        int legend = 0;
        for (int i = 0; i < all.getLength(); i++) {
            String s = all.item(i).getTextContent();
            if (s.startsWith("P* (each seed)") || s.startsWith("power fit") || s.startsWith("linear fit")) {
                legend++;
                double x = Double.parseDouble(
                        all.item(i).getAttributes().getNamedItem("x").getNodeValue());
                assertTrue(
                        x > frameRight, s + " at x = " + x + " lies outside the plot (right edge " + frameRight + ")");
            }
        }
        assertEquals(3, legend);
    }

    @Test
    void aLadderAddsTheBudgetPlots(@TempDir Path dir) throws Exception {
        Job job = JobParser.parse(GoldenTest.JOB.replace("steps: 20000", "steps: [20000, 80000]"), "fixture");
        List<CellResult> cells = new ArrayList<>(GoldenTest.cells());
        // At 80 000 steps every found cell needs one unit less.
        for (CellResult c : GoldenTest.cells()) {
            java.util.OptionalInt m = c.minWidth().isPresent()
                    ? java.util.OptionalInt.of(c.minWidth().getAsInt() - 1)
                    : java.util.OptionalInt.empty();
            cells.add(new CellResult(
                    c.cell(),
                    80_000,
                    m,
                    c.maxFailedWidth(),
                    m.isPresent() ? OptionalLong.of(10L * m.getAsInt()) : OptionalLong.empty(),
                    c.status(),
                    c.probes(),
                    c.secs(),
                    c.stats(),
                    c.asymptotic()));
        }
        List<GroupFit> fits = Reducer.reduce(cells, job.hash(), 1);
        assertEquals(2, fits.size(), "one law per budget");
        String html = build(job, fits, dir);
        assertTrue(html.contains(": step budgets</h2>"), "a section for the ladder");
        List<String> charts = chartNames(html);
        for (String f : List.of(
                "b1-two-layer-L2-mstar-vs-budget",
                "b1-two-layer-L2-params-per-budget",
                "b1-two-layer-L2-ratio-per-budget",
                "b1-two-layer-L2-crossing")) {
            assertTrue(charts.contains(f), f + " in the page");
            assertTrue(Files.size(dir.resolve("plots").resolve(f + ".svg")) > 1000, f + ".svg");
            assertTrue(Files.size(dir.resolve("plots").resolve(f + ".png")) > 1000, f + ".png");
        }
        // per budget: each budget's points and its censored cell
        JsonNode per = figures(html).get("b1-two-layer-L2-params-per-budget").get("series");
        List<String> names = new ArrayList<>();
        per.forEach(s -> names.add(s.get("name").asText()));
        assertTrue(names.containsAll(List.of(
                "T = 20000", "T = 20000: unreached (lower bound)", "T = 80000", "T = 80000: unreached (lower bound)")));
        assertEquals(charts.size(), new HashSet<>(charts).size(), "no chart twice");
    }
}
