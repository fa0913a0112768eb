package org.widthlaw.driver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.widthlaw.lib.model.Loss;

/**
 * The laws of several OUTs side by side, read from their scaling.json (docs/ARCHITECTURE.md,
 * "CLI"): per group and budget, one line per OUT with the exponent alpha and its 95% interval,
 * the median P* / n at the group's largest n, and the verdict.
 */
final class Compare {
    private Compare() {}

    /** One OUT: how lines name it, where it is, and its scaling.json. */
    record Out(String label, String uri, JsonNode scaling) {}

    /** One group at one budget of one OUT. */
    record Law(
            String group,
            int budget,
            String out,
            double alpha,
            double lo,
            double hi,
            int n,
            double ratio,
            String verdict,
            boolean budgetBound) {}

    /** A group in words, as the run's summary names it (without the budget). */
    static String group(JsonNode g) {
        return String.format(
                Locale.ROOT,
                "%s L=%d d=%d %s/%s trained=%s %s%s",
                g.path("arch").asText(),
                g.path("depth").asInt(),
                g.path("d").asInt(),
                g.path("data").asText(),
                g.path("labels").asText(),
                g.path("trained").asText(),
                g.path("activation").asText(),
                // As Summary.title: nothing for squared (and for scaling.json from before the field).
                g.path("loss").asText(Loss.SQUARED.id()).equals(Loss.SQUARED.id())
                        ? ""
                        : " loss=" + g.path("loss").asText());
    }

    static List<Law> laws(Out o) {
        List<Law> out = new ArrayList<>();
        for (JsonNode g : o.scaling().path("groups")) {
            JsonNode p = g.path("power");
            int maxN = 0;
            for (JsonNode r : g.path("params_per_sample"))
                maxN = Math.max(maxN, r.path("n").asInt());
            List<Double> ratios = new ArrayList<>();
            for (JsonNode r : g.path("params_per_sample"))
                if (r.path("n").asInt() == maxN && r.path("ratio").isNumber())
                    ratios.add(r.path("ratio").asDouble());
            out.add(new Law(
                    group(g),
                    g.path("budget").asInt(),
                    o.label(),
                    number(p.path("alpha")),
                    number(p.path("alpha_ci95").path(0)),
                    number(p.path("alpha_ci95").path(1)),
                    maxN,
                    median(ratios),
                    g.path("verdict").asText("?"),
                    g.path("budget_bound").asBoolean(false)));
        }
        return out;
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) return Double.NaN;
        List<Double> s = v.stream().sorted().toList();
        int k = s.size();
        return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
    }

    /** What {@code widthlaw compare OUT…} prints. */
    static String text(List<Out> outs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < outs.size(); i++)
            b.append(String.format(
                    Locale.ROOT, "%s = %s%n", outs.get(i).label(), outs.get(i).uri()));
        Map<String, List<Law>> byGroup = new LinkedHashMap<>();
        for (Out o : outs)
            for (Law l : laws(o))
                byGroup.computeIfAbsent(l.group() + "\u0000" + l.budget(), k -> new ArrayList<>())
                        .add(l);
        int w = outs.stream().mapToInt(o -> o.label().length()).max().orElse(3);
        for (List<Law> laws : byGroup.values()) {
            Law first = laws.get(0);
            b.append(String.format(Locale.ROOT, "%n%s, T=%d%n", first.group(), first.budget()));
            b.append(String.format(
                    Locale.ROOT,
                    "  %-" + w + "s  %-24s  %-16s  %s%n",
                    "OUT",
                    "alpha [95% CI]",
                    "median P*/n",
                    "verdict"));
            for (Law l : laws) {
                String alpha = Double.isNaN(l.alpha())
                        ? "-"
                        : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", l.alpha(), l.lo(), l.hi());
                String ratio =
                        Double.isNaN(l.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f at n=%d", l.ratio(), l.n());
                b.append(String.format(
                        Locale.ROOT,
                        "  %-" + w + "s  %-24s  %-16s  %s%s%n",
                        l.out(),
                        alpha,
                        ratio,
                        l.verdict(),
                        l.budgetBound() ? " (budget-bound)" : ""));
            }
        }
        return b.toString();
    }
}
