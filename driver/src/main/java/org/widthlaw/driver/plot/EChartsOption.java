package org.widthlaw.driver.plot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import org.widthlaw.driver.plot.Figure.Band;
import org.widthlaw.driver.plot.Figure.Censored;
import org.widthlaw.driver.plot.Figure.Datum;
import org.widthlaw.driver.plot.Figure.Line;
import org.widthlaw.driver.plot.Figure.Points;
import org.widthlaw.driver.plot.Figure.Series;
import org.widthlaw.driver.plot.Figure.Spread;

/**
 * A figure as an ECharts option (JSON): the same axes (range and decades from {@link Scale}),
 * series and colours as the static plot. Hovering a point shows its {@code info} fields (the
 * page's tooltip formatter reads them); the legend, outside the plot area, toggles series. Bands
 * and spreads are ECharts custom series whose {@code renderItem} names a function of the page
 * ({@code "band"} or {@code "spread"}), since JSON carries no functions.
 */
public final class EChartsOption {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The path of the arrow drawn for a censored value: its foot on the lower bound, pointing up. */
    static final String ARROW = "path://M5,0 L10,8 L6.2,8 L6.2,22 L10,22 L10,23.6 L0,23.6 L0,22 L3.8,22 L3.8,8 L0,8 Z";

    private EChartsOption() {}

    public static ObjectNode of(Figure f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("animation", false);
        ArrayNode colours = o.putArray("color");
        for (int i = 0; i < Palette.size(); i++) colours.add(Palette.colour(i));
        ObjectNode title =
                o.putObject("title").put("text", f.title()).put("left", 309).put("textAlign", "center");
        title.putObject("textStyle").put("fontSize", 14);
        o.putObject("grid").put("left", 74).put("right", 236).put("top", 48).put("bottom", 60);
        ObjectNode legend = o.putObject("legend")
                .put("type", "scroll")
                .put("orient", "vertical")
                .put("right", 6)
                .put("top", 44)
                .put("bottom", 8)
                .put("itemWidth", 24);
        legend.put("itemGap", 12);
        legend.putObject("textStyle").put("fontSize", 11).put("width", 196).put("overflow", "truncate");
        ArrayNode names = legend.putArray("data");
        o.putObject("tooltip").put("trigger", "item").put("confine", true);
        o.set("xAxis", axis(f.x(), f.xScale(), 32));
        o.set("yAxis", axis(f.y(), f.yScale(), 50));
        ArrayNode series = o.putArray("series");
        for (Series s : f.series()) {
            series.add(series(s, f));
            if (!names.findValuesAsText("name").contains(s.name()))
                names.addObject().put("name", s.name()).put("icon", icon(s));
        }
        if (!f.x().marks().isEmpty()) series.add(marks(f.x(), f.xScale()));
        return o;
    }

    private static ObjectNode axis(Figure.Axis a, Scale s, int gap) {
        ObjectNode x = JSON.createObjectNode()
                .put("type", a.log() ? "log" : "value")
                .put("name", a.title())
                .put("nameLocation", "middle")
                .put("nameGap", gap)
                .put("min", s.min())
                .put("max", s.max());
        x.putObject("nameTextStyle").put("fontSize", 12.5);
        x.putObject("splitLine").put("show", true);
        if (a.log()) {
            x.put("logBase", 10);
            int decades = (int) Math.round(Math.log10(s.max() / s.min()));
            x.put("splitNumber", Math.max(1, decades));
            x.putObject("minorTick").put("show", decades <= 12).put("splitNumber", 9);
        } else if (s.ticks().size() > 1) {
            x.put("interval", s.ticks().get(1).value() - s.ticks().get(0).value());
        }
        return x;
    }

    private static ObjectNode series(Series s, Figure f) {
        ObjectNode o = JSON.createObjectNode().put("name", s.name());
        String colour = Palette.colour(s.colour());
        if (s instanceof Points p) {
            o.put("type", "scatter").put("symbol", symbol(p.marker())).put("symbolSize", 9);
            o.putObject("itemStyle").put("color", colour).put("opacity", 0.85);
            ArrayNode data = o.putArray("data");
            for (Datum d : p.data()) data.add(datum(d));
            o.put("z", 3);
        } else if (s instanceof Censored c) {
            o.put("type", "scatter").put("symbol", ARROW);
            o.putArray("symbolSize").add(10).add(24);
            o.putArray("symbolOffset").add(0).add("-50%");
            o.putObject("itemStyle").put("color", colour);
            ArrayNode data = o.putArray("data");
            for (Datum d : c.data()) data.add(datum(d));
            o.put("z", 4);
        } else if (s instanceof Line l) {
            String col = l.reference() ? Palette.REFERENCE : colour;
            o.put("type", "line").put("showSymbol", l.marker() != null).put("connectNulls", false);
            if (l.marker() != null) o.put("symbol", symbol(l.marker())).put("symbolSize", 7);
            else o.put("symbol", "none");
            o.putObject("lineStyle")
                    .put("color", col)
                    .put("width", l.reference() ? 1.4 : 1.8)
                    .put("type", l.stroke().name().toLowerCase(Locale.ROOT));
            o.putObject("itemStyle").put("color", col);
            ArrayNode data = o.putArray("data");
            for (Datum d : l.data()) if (finite(d.x(), d.y(), f)) data.add(datum(d));
            if (l.marker() == null) o.put("silent", true);
            o.put("z", 2);
        } else if (s instanceof Band b) {
            o.put("type", "custom")
                    .put("renderItem", "band")
                    .put("silent", true)
                    .put("clip", true);
            o.putObject("itemStyle").put("color", colour);
            o.putObject("tooltip").put("show", false);
            o.putObject("encode").put("x", 0).putArray("y").add(1).add(2);
            ArrayNode data = o.putArray("data");
            for (int i = 0; i < b.x().length; i++)
                if (finite(b.x()[i], b.lo()[i], f) && finite(b.x()[i], b.hi()[i], f))
                    data.addArray().add(b.x()[i]).add(b.lo()[i]).add(b.hi()[i]);
            o.put("z", 1);
        } else if (s instanceof Spread r) {
            o.put("type", "custom").put("renderItem", "spread");
            o.putObject("itemStyle").put("color", colour);
            o.putObject("encode").put("x", 0).putArray("y").add(1).add(2).add(3);
            ArrayNode data = o.putArray("data");
            for (Figure.Range v : r.ranges()) {
                ObjectNode d = JSON.createObjectNode();
                d.putArray("value").add(v.x()).add(v.median()).add(v.min()).add(v.max());
                info(d, v.info());
                data.add(d);
            }
            o.put("z", 3);
        }
        return o;
    }

    /** A helper series that draws the axis's marks (the n values) as labelled vertical lines. */
    private static ObjectNode marks(Figure.Axis a, Scale s) {
        ObjectNode o =
                JSON.createObjectNode().put("type", "line").put("name", "").put("silent", true);
        o.putArray("data");
        ObjectNode ml = o.putObject("markLine").put("silent", true).put("symbol", "none");
        ml.putObject("lineStyle").put("color", "#9a9a9a").put("type", "dotted").put("width", 1);
        ml.putObject("label").put("position", "end").put("color", "#444").put("formatter", "{c}");
        ArrayNode data = ml.putArray("data");
        for (double m : a.marks()) if (s.drawable(m)) data.addObject().put("xAxis", m);
        return o;
    }

    private static boolean finite(double x, double y, Figure f) {
        return Double.isFinite(x) && Double.isFinite(y) && (!f.x().log() || x > 0) && (!f.y().log() || y > 0);
    }

    private static ObjectNode datum(Datum d) {
        ObjectNode o = JSON.createObjectNode();
        o.putArray("value").add(d.x()).add(d.y());
        info(o, d.info());
        return o;
    }

    private static void info(ObjectNode o, Map<String, String> info) {
        if (info.isEmpty()) return;
        ObjectNode i = o.putObject("info");
        info.forEach(i::put);
    }

    /** The legend's sample of a series: a stroke for a line, an arrow for censored values, a bar for a spread. */
    private static String icon(Series s) {
        if (s instanceof Points p) return symbol(p.marker());
        if (s instanceof Censored) return ARROW;
        if (s instanceof Line l) return l.marker() != null ? symbol(l.marker()) : "path://M0,4 L30,4 L30,6 L0,6 Z";
        if (s instanceof Spread) return "path://M4,0 L6,0 L6,9 L10,9 L10,11 L6,11 L6,20 L4,20 L4,11 L0,11 L0,9 L4,9 Z";
        return "roundRect";
    }

    private static String symbol(Figure.Marker m) {
        return switch (m) {
            case CIRCLE -> "circle";
            case SQUARE -> "rect";
            case DIAMOND -> "diamond";
            case TRIANGLE -> "triangle";
        };
    }
}
