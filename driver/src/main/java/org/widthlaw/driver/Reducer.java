package org.widthlaw.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.widthlaw.lib.Seeds;
import org.widthlaw.lib.fit.Fitter;
import org.widthlaw.lib.fit.Point;
import org.widthlaw.lib.fit.ScalingFit;

/**
 * From cell rows to the scaling law of every group: the fit itself is worker-lib's
 * {@link Fitter}; this class groups, writes scaling.json and scaling.csv, and prints a summary.
 */
public final class Reducer {
    private Reducer() {}

    /** One group's key, points and fit. */
    public record GroupFit(Cell.GroupKey key, List<Row> cells, ScalingFit fit) {}

    public static List<GroupFit> fit(List<Row> cellRows, String jobHash) {
        Map<Cell.GroupKey, List<Row>> groups = new TreeMap<>();
        for (Row r : cellRows) {
            Cell.GroupKey k = new Cell.GroupKey(r.getAs("arch"), r.<Integer>getAs("depth"), r.<Integer>getAs("d"),
                    r.getAs("data"), r.getAs("labels"), r.getAs("trained"), r.getAs("activation"));
            groups.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        List<GroupFit> out = new ArrayList<>();
        for (Map.Entry<Cell.GroupKey, List<Row>> e : groups.entrySet()) {
            List<Row> rows = new ArrayList<>(e.getValue());
            rows.sort((a, b) -> a.<Integer>getAs("n") != b.<Integer>getAs("n").intValue()
                    ? Integer.compare(a.getAs("n"), b.getAs("n")) : Long.compare(a.getAs("seed"), b.getAs("seed")));
            List<Point> pts = rows.stream().map(Reducer::point).toList();
            long seed = Seeds.derive(Long.parseUnsignedLong(jobHash, 16), Seeds.STREAM_BOOTSTRAP, e.getKey().toString().hashCode());
            out.add(new GroupFit(e.getKey(), rows, Fitter.fit(pts, seed, Fitter.DEFAULT_RESAMPLES)));
        }
        return out;
    }

    static Point point(Row r) {
        Integer m = r.getAs("min_width");
        Long p = r.getAs("min_params");
        return new Point(r.<Integer>getAs("n"), r.<Long>getAs("seed"), m == null ? 0 : m, p == null ? 0 : p, r.getAs("status"));
    }

    /** Writes scaling.json, scaling.csv and report.html (with plots/). */
    public static void write(ResultsStore store, Job job, List<GroupFit> fits) {
        String json = json(job, fits);
        store.writeText("scaling.json", json);
        store.writeText("scaling.csv", csv(fits));
        try {
            store.writeText("report.html", Report.build(job, fits, store.probeRows(), JobParser.JSON.readTree(json), store));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Job job, List<GroupFit> fits) {
        ObjectNode root = JobParser.JSON.createObjectNode();
        ObjectNode j = root.putObject("job");
        j.put("name", job.name()).put("hash", job.hash()).put("output", job.output());
        ArrayNode groups = root.putArray("groups");
        for (GroupFit g : fits) {
            ScalingFit f = g.fit();
            ObjectNode o = groups.addObject();
            o.put("arch", g.key().arch()).put("depth", g.key().depth()).put("d", g.key().d()).put("data", g.key().data())
                    .put("labels", g.key().labels()).put("trained", g.key().trained()).put("activation", g.key().activation());
            ArrayNode pts = o.putArray("points");
            for (Row r : g.cells()) {
                ObjectNode p = pts.addObject();
                p.put("n", r.<Integer>getAs("n")).put("seed", r.<Long>getAs("seed"));
                putNullable(p, "min_width", r.getAs("min_width"));
                putNullable(p, "max_failed_width", r.getAs("max_failed_width"));
                putNullable(p, "min_params", r.getAs("min_params"));
                p.put("status", r.<String>getAs("status"));
            }
            ObjectNode lin = o.putObject("linear");
            num(lin, "a", f.linear().a());
            num(lin, "b", f.linear().b());
            ci(lin, "a_ci95", f.linear().aLo(), f.linear().aHi());
            num(lin, "r2", f.linear().r2());
            ObjectNode pow = o.putObject("power");
            num(pow, "alpha", f.power().alpha());
            ci(pow, "alpha_ci95", f.power().alphaLo(), f.power().alphaHi());
            num(pow, "c", f.power().c());
            ObjectNode aic = o.putObject("aic");
            num(aic, "linear", f.aic().linear());
            num(aic, "power", f.aic().power());
            num(aic, "quadratic", f.aic().quadratic());
            o.put("verdict", f.verdict());
            ArrayNode ratio = o.putArray("params_per_sample");
            for (int i = 0; i < g.cells().size(); i++) {
                Row r = g.cells().get(i);
                ObjectNode q = ratio.addObject();
                q.put("n", r.<Integer>getAs("n")).put("seed", r.<Long>getAs("seed"));
                num(q, "ratio", f.paramsPerSample().get(i));
            }
            o.putObject("bootstrap").put("resamples", f.resamples()).put("seed", f.bootstrapSeed())
                    .put("scheme", "seeds resampled with replacement within each n; 95% percentile intervals");
            o.set("per_n", perN(g));
            o.set("theory", Theory.forGroup(g, job));
        }
        try {
            return JobParser.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Median, min and max of m* and P* across seeds, per n (PROTOCOL.md section 5). */
    static ArrayNode perN(GroupFit g) {
        ArrayNode arr = JobParser.JSON.createArrayNode();
        Map<Integer, List<Row>> byN = new TreeMap<>();
        for (Row r : g.cells()) byN.computeIfAbsent(r.getAs("n"), x -> new ArrayList<>()).add(r);
        for (Map.Entry<Integer, List<Row>> e : byN.entrySet()) {
            List<Double> m = new ArrayList<>(), p = new ArrayList<>();
            int unreached = 0;
            for (Row r : e.getValue()) {
                Point pt = point(r);
                if (pt.measured()) {
                    m.add((double) pt.minWidth());
                    p.add((double) pt.minParams());
                } else unreached++;
            }
            ObjectNode o = arr.addObject();
            o.put("n", e.getKey()).put("cells", e.getValue().size()).put("unreached", unreached);
            stats(o, "min_width", m);
            stats(o, "min_params", p);
        }
        return arr;
    }

    private static void stats(ObjectNode o, String name, List<Double> v) {
        if (v.isEmpty()) return;
        Collections.sort(v);
        int s = v.size();
        double median = s % 2 == 1 ? v.get(s / 2) : 0.5 * (v.get(s / 2 - 1) + v.get(s / 2));
        o.putObject(name).put("median", median).put("min", v.get(0)).put("max", v.get(s - 1));
    }

    static String csv(List<GroupFit> fits) {
        StringBuilder b = new StringBuilder(Csv.header("arch", "depth", "d", "data", "labels", "trained", "activation",
                "points", "linear_a", "linear_b", "linear_a_lo", "linear_a_hi", "linear_r2", "alpha", "alpha_lo", "alpha_hi",
                "power_c", "aic_linear", "aic_power", "aic_quadratic", "verdict"));
        for (GroupFit g : fits) {
            ScalingFit f = g.fit();
            Object[] v = {g.key().arch(), g.key().depth(), g.key().d(), g.key().data(), g.key().labels(), g.key().trained(),
                g.key().activation(), g.cells().size(), f.linear().a(), f.linear().b(), f.linear().aLo(), f.linear().aHi(),
                f.linear().r2(), f.power().alpha(), f.power().alphaLo(), f.power().alphaHi(), f.power().c(), f.aic().linear(),
                f.aic().power(), f.aic().quadratic(), f.verdict()};
            for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ",").append(Csv.cell(v[i]));
            b.append('\n');
        }
        return b.toString();
    }

    /** The fitted law per group, as printed at the end of a run. */
    public static String summary(List<GroupFit> fits) {
        StringBuilder b = new StringBuilder();
        for (GroupFit g : fits) {
            ScalingFit f = g.fit();
            Cell.GroupKey k = g.key();
            b.append(String.format(Locale.ROOT, "%s L=%d d=%d %s/%s trained=%s %s: %d cells%n", k.arch(), k.depth(), k.d(),
                    k.data(), k.labels(), k.trained(), k.activation(), g.cells().size()));
            for (Row r : g.cells()) {
                Integer m = r.getAs("min_width");
                b.append(String.format(Locale.ROOT, "  n=%-6d seed=%-3d m*=%-6s P*=%-8s %s%n", r.<Integer>getAs("n"),
                        r.<Long>getAs("seed"), m == null ? ">" + r.getAs("max_failed_width") : m.toString(),
                        r.getAs("min_params") == null ? "-" : r.getAs("min_params").toString(), r.<String>getAs("status")));
            }
            if (f.verdict().equals(ScalingFit.INSUFFICIENT)) {
                b.append("  no law: fewer than two values of n with a measured m*\n");
                continue;
            }
            b.append(String.format(Locale.ROOT, "  linear: P* = %.3f n %+.1f  (a 95%% CI [%.3f, %.3f], R^2 %.3f)%n",
                    f.linear().a(), f.linear().b(), f.linear().aLo(), f.linear().aHi(), f.linear().r2()));
            b.append(String.format(Locale.ROOT, "  power:  P* = %.3g n^%.3f  (alpha 95%% CI [%.3f, %.3f])%n",
                    Math.exp(f.power().c()), f.power().alpha(), f.power().alphaLo(), f.power().alphaHi()));
            b.append(String.format(Locale.ROOT, "  AIC linear %.1f, power %.1f, quadratic %s -> verdict: %s%n",
                    f.aic().linear(), f.aic().power(),
                    Double.isNaN(f.aic().quadratic()) ? "n/a" : String.format(Locale.ROOT, "%.1f", f.aic().quadratic()), f.verdict()));
        }
        return b.toString();
    }

    static void num(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }

    static void ci(ObjectNode o, String k, double lo, double hi) {
        ArrayNode a = o.putArray(k);
        if (Double.isFinite(lo)) a.add(lo);
        else a.addNull();
        if (Double.isFinite(hi)) a.add(hi);
        else a.addNull();
    }

    private static void putNullable(ObjectNode o, String k, Object v) {
        if (v == null) o.putNull(k);
        else if (v instanceof Integer i) o.put(k, i);
        else if (v instanceof Long l) o.put(k, l);
        else o.put(k, v.toString());
    }
}
