package org.widthlaw.driver.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.widthlaw.driver.plot.Figure.Axis;
import org.widthlaw.driver.plot.Figure.Censored;
import org.widthlaw.driver.plot.Figure.Datum;
import org.widthlaw.driver.plot.Figure.Marker;
import org.widthlaw.driver.plot.Figure.Points;

class PlotTest {
    private static List<String> labels(Scale s) {
        return s.ticks().stream().map(Scale.Tick::label).toList();
    }

    @Test
    void aLogAxisSpansWholeDecadesWithATickAtEachAndAtTheMarks() {
        Scale s = Scale.of(Axis.log("n (samples)").withMarks(List.of(20.0, 40.0, 80.0)), new double[] {20, 40, 80});
        assertEquals(10, s.min(), 1e-12);
        assertEquals(100, s.max(), 1e-12);
        assertEquals(List.of("10", "100", "20", "40", "80"), labels(s), "decades, then the marks");
        assertTrue(s.ticks().get(2).mark());
        assertEquals(0.30103, s.fraction(20), 1e-5);
        Scale onDecade = Scale.of(Axis.log("P*/n").withMarks(List.of(10.0, 20.0)), new double[] {1, 4});
        assertEquals(0.1, onDecade.min(), 1e-12, "a value on a decade is not drawn on the frame");
        assertEquals(List.of("0.1", "1", "10", "100", "20"), labels(onDecade), "a mark on a decade is not repeated");
    }

    @Test
    void manyDecadesKeepEveryTickButThinTheirLabels() {
        Scale s = Scale.of(Axis.log("width"), new double[] {3, 2e49});
        assertEquals(51, s.ticks().size(), "a tick at each of 10^0 .. 10^50");
        long labelled = s.ticks().stream().filter(t -> !t.label().isEmpty()).count();
        assertTrue(labelled >= 8 && labelled <= 11, labelled + " labels");
        assertEquals("1e50", s.ticks().get(50).label());
        assertEquals("100000", Scale.decade(5));
        assertEquals("1e6", Scale.decade(6));
        assertEquals("0.001", Scale.decade(-3));
    }

    @Test
    void aLinearAxisHasRoundSteps() {
        Scale s = Scale.of(Axis.linear("test error"), new double[] {0.03, 0.52});
        assertEquals(List.of("0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6"), labels(s));
    }

    private static Figure censoredFigure() {
        return new Figure(
                "f",
                "t",
                "c",
                Axis.log("n (samples)").withMarks(List.of(50.0, 200.0)),
                Axis.log("m* (hidden units per layer)"),
                List.of(
                        new Points("m*", 0, Marker.CIRCLE, List.of(Datum.of(50, 11))),
                        new Censored(
                                "unreached",
                                1,
                                List.of(new Datum(200, 1000, Map.of("n", "200", "seed", "1", "m*", "none"))))));
    }

    @Test
    void aCensoredValueAtTheTopStillHasRoomForItsArrow() {
        Figure f = censoredFigure();
        Scale y = f.yScale();
        assertTrue(y.max() >= 1000 * 1.6, "the axis reaches above the bound: " + y.max());
        // the arrow: a stem from the bound upwards and a head, inside the plot
        String svg = StaticPlot.svg(f);
        assertTrue(svg.contains("fill=\"" + Palette.colour(1) + "\" fill-opacity=\"1\""), "the arrow's head");
    }

    @Test
    void theSvgIsWellFormedXmlWithItsAxisTitles() throws Exception {
        String svg = StaticPlot.svg(censoredFigure());
        var d = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", d.getDocumentElement().getNodeName());
        assertTrue(svg.contains(">n (samples)</text>"));
        assertTrue(svg.contains(">m* (hidden units per layer)</text>"));
        assertTrue(svg.contains(">200</text>"), "the n value used is labelled");
        assertFalse(
                StaticPlot.svg(new Figure(
                                "g",
                                "a < b & c",
                                "",
                                Axis.linear("x"),
                                Axis.linear("y"),
                                List.of(new Points("p", 0, Marker.SQUARE, List.of(Datum.of(1, 2))))))
                        .contains("a < b"),
                "text is escaped");
    }

    @Test
    void theEChartsOptionCarriesTheSameAxesAndTheHoverFields() {
        Figure f = censoredFigure();
        JsonNode o = EChartsOption.of(f);
        assertEquals("log", o.get("xAxis").get("type").asText());
        assertEquals(f.yScale().max(), o.get("yAxis").get("max").asDouble(), 1e-9);
        assertEquals("m* (hidden units per layer)", o.get("yAxis").get("name").asText());
        JsonNode cens = o.get("series").get(1);
        assertEquals(EChartsOption.ARROW, cens.get("symbol").asText());
        assertEquals("200", cens.get("data").get(0).get("info").get("n").asText());
        JsonNode marks = o.get("series").get(2).get("markLine").get("data");
        assertEquals(2, marks.size(), "a labelled line at each n used");
        JsonNode legend = o.get("legend").get("data");
        assertEquals(
                List.of("m*", "unreached"),
                List.of(
                        legend.get(0).get("name").asText(),
                        legend.get(1).get("name").asText()));
        assertEquals(EChartsOption.ARROW, legend.get(1).get("icon").asText(), "an arrow in the legend too");
        assertEquals(2, o.get("legend").get("data").size(), "the helper series is not in the legend");
        assertTrue(o.get("grid").get("right").asInt() >= 200, "the legend has its own column beside the plot");
    }
}
