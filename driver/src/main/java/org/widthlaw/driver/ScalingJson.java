package org.widthlaw.driver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.widthlaw.lib.fit.CensoredLaw;
import org.widthlaw.lib.fit.ScalingFit;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.reduce.GroupFit;
import org.widthlaw.lib.reduce.PerN;
import org.widthlaw.lib.reduce.TheoryTable;

/**
 * OUT/scaling.json and OUT/scaling.csv from the typed fits (docs/ARCHITECTURE.md, "Results store"). Field
 * names are a contract: add fields, never rename. Absent and non-finite numbers are JSON null.
 */
final class ScalingJson {
    private ScalingJson() {}

    static String json(Job job, List<GroupFit> fits) {
        ObjectNode root = JobParser.JSON.createObjectNode();
        ObjectNode j = root.putObject("job");
        j.put("name", job.name()).put("hash", job.hash()).put("output", job.output());
        ArrayNode groups = root.putArray("groups");
        for (GroupFit g : fits) {
            ScalingFit f = g.fit();
            ObjectNode o = groups.addObject();
            o.put("arch", g.key().arch().id())
                    .put("depth", g.key().depth())
                    .put("d", g.key().d())
                    .put("data", g.key().data().id())
                    .put("labels", g.key().labels().id())
                    .put("trained", g.key().trained().id())
                    .put("activation", g.key().activation().id())
                    .put("loss", g.key().loss().id());
            ArrayNode pts = o.putArray("points");
            for (CellResult c : g.cells()) {
                ObjectNode p = pts.addObject();
                p.put("n", c.n()).put("seed", c.seed());
                opt(p, "min_width", c.minWidth());
                opt(p, "max_failed_width", c.maxFailedWidth());
                opt(p, "min_params", c.minParams());
                p.put("status", c.status().id());
                // An estimate, named as one: the width below which the crossing time diverges.
                num(p, "m_inf_estimate", c.asymptotic().map(a -> a.mInf()).orElse(Double.NaN));
                ci(
                        p,
                        "m_inf_ci95",
                        c.asymptotic().map(a -> a.lo()).orElse(Double.NaN),
                        c.asymptotic().map(a -> a.hi()).orElse(Double.NaN));
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
            num(pow, "log_c", f.power().logC());
            ObjectNode aic = o.putObject("aic");
            num(aic, "linear", f.aic().linear());
            num(aic, "power", f.aic().power());
            num(aic, "quadratic", f.aic().quadratic());
            if (Double.isNaN(f.quadratic().a0())) {
                o.putNull("quadratic");
            } else {
                o.putObject("quadratic")
                        .put("a0", f.quadratic().a0())
                        .put("a1", f.quadratic().a1())
                        .put("a2", f.quadratic().a2());
            }
            o.put("verdict", f.verdict());
            if (g.censored().isEmpty()) {
                o.putNull("censored");
            } else {
                // Unreached cells as right-censored points: the AFT fit beside the least-squares one.
                CensoredLaw c = g.censored().get();
                ObjectNode cn = o.putObject("censored");
                cn.put("engine", c.engine());
                cn.put("model", "log P* = intercept + alpha log n + scale e, e standard extreme-value");
                cn.put("points", c.points()).put("censored", c.censored());
                num(cn, "alpha", c.alpha());
                ci(cn, "alpha_ci95", c.alphaLo(), c.alphaHi());
                num(cn, "intercept", c.intercept());
                num(cn, "scale", c.scale());
                cn.put("resamples", c.resamples());
            }
            o.put("budget", g.budget()).put("budget_bound", g.budgetBound());
            if (g.asymptoticLaw().isEmpty()) {
                o.putNull("m_inf_law");
            } else {
                // A law of estimates (m*_inf per cell), never of measured thresholds.
                ScalingFit a = g.asymptoticLaw().get();
                ObjectNode m = o.putObject("m_inf_law");
                m.put("label", "estimate: P(m*_inf) against n");
                m.put("points", a.points().size());
                ObjectNode ml = m.putObject("linear");
                num(ml, "a", a.linear().a());
                num(ml, "b", a.linear().b());
                ci(ml, "a_ci95", a.linear().aLo(), a.linear().aHi());
                ObjectNode mp = m.putObject("power");
                num(mp, "alpha", a.power().alpha());
                ci(mp, "alpha_ci95", a.power().alphaLo(), a.power().alphaHi());
                num(mp, "c", a.power().c());
                num(mp, "log_c", a.power().logC());
                m.put("verdict", a.verdict());
            }
            ArrayNode ratio = o.putArray("params_per_sample");
            for (int i = 0; i < g.cells().size(); i++) {
                CellResult c = g.cells().get(i);
                ObjectNode q = ratio.addObject();
                q.put("n", c.n()).put("seed", c.seed());
                num(q, "ratio", f.paramsPerSample().get(i));
            }
            o.putObject("bootstrap")
                    .put("resamples", f.resamples())
                    .put("seed", f.bootstrapSeed())
                    .put("scheme", "seeds resampled with replacement within each n; 95% percentile intervals");
            o.set("per_n", perN(g.perN()));
            o.set("theory", theory(g.theory()));
        }
        try {
            return JobParser.JSON
                            .copy()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode perN(List<PerN> perN) {
        ArrayNode arr = JobParser.JSON.createArrayNode();
        for (PerN p : perN) {
            ObjectNode o = arr.addObject();
            o.put("n", p.n()).put("cells", p.cells()).put("unreached", p.unreached());
            spread(o, "min_width", p.minWidth());
            spread(o, "min_params", p.minParams());
        }
        return arr;
    }

    private static void spread(ObjectNode o, String name, Optional<PerN.Spread> s) {
        s.ifPresent(v ->
                o.putObject(name).put("median", v.median()).put("min", v.min()).put("max", v.max()));
    }

    private static ObjectNode theory(TheoryTable t) {
        ObjectNode o = JobParser.JSON.createObjectNode();
        o.put("delta", t.delta());
        o.put("constants", t.constants());
        o.put("measure", t.measure());
        ArrayNode rows = o.putArray("points");
        for (TheoryTable.Point p : t.points()) {
            ObjectNode r = rows.addObject();
            r.put("n", p.n()).put("seed", p.seed());
            opt(r, "lambda0", p.stats().lambda0());
            opt(r, "lambda_deep", p.stats().lambdaDeep());
            opt(r, "delta_sep", p.stats().deltaSep());
            for (TheoryTable.Entry e : p.entries()) {
                ObjectNode x = r.putObject(e.name());
                opt(x, "required", e.required());
                opt(x, "log10_required_over_measured", e.log10RequiredOverMeasured());
                e.missing().ifPresent(m -> x.put("missing", m));
            }
        }
        return o;
    }

    static String csv(List<GroupFit> fits) {
        StringBuilder b = new StringBuilder(Csv.header(
                "arch",
                "depth",
                "d",
                "data",
                "labels",
                "trained",
                "activation",
                "points",
                "linear_a",
                "linear_b",
                "linear_a_lo",
                "linear_a_hi",
                "linear_r2",
                "alpha",
                "alpha_lo",
                "alpha_hi",
                "power_c",
                "aic_linear",
                "aic_power",
                "aic_quadratic",
                "verdict",
                "budget",
                "budget_bound",
                "power_log_c",
                "quad_a0",
                "quad_a1",
                "quad_a2",
                "censored_points",
                "censored_alpha",
                "censored_alpha_lo",
                "censored_alpha_hi",
                "loss"));
        for (GroupFit g : fits) {
            ScalingFit f = g.fit();
            Object[] v = {
                g.key().arch().id(),
                g.key().depth(),
                g.key().d(),
                g.key().data().id(),
                g.key().labels().id(),
                g.key().trained().id(),
                g.key().activation().id(),
                g.cells().size(),
                f.linear().a(),
                f.linear().b(),
                f.linear().aLo(),
                f.linear().aHi(),
                f.linear().r2(),
                f.power().alpha(),
                f.power().alphaLo(),
                f.power().alphaHi(),
                f.power().c(),
                f.aic().linear(),
                f.aic().power(),
                f.aic().quadratic(),
                f.verdict(),
                g.budget(),
                g.budgetBound(),
                f.power().logC(),
                f.quadratic().a0(),
                f.quadratic().a1(),
                f.quadratic().a2(),
                g.censored().map(CensoredLaw::censored).orElse(0),
                g.censored().map(CensoredLaw::alpha).orElse(Double.NaN),
                g.censored().map(CensoredLaw::alphaLo).orElse(Double.NaN),
                g.censored().map(CensoredLaw::alphaHi).orElse(Double.NaN),
                g.key().loss().id()
            };
            for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ",").append(Csv.cell(v[i]));
            b.append('\n');
        }
        return b.toString();
    }

    static void num(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }

    static void opt(ObjectNode o, String k, OptionalDouble v) {
        num(o, k, v.orElse(Double.NaN));
    }

    static void opt(ObjectNode o, String k, OptionalInt v) {
        if (v.isPresent()) o.put(k, v.getAsInt());
        else o.putNull(k);
    }

    static void opt(ObjectNode o, String k, OptionalLong v) {
        if (v.isPresent()) o.put(k, v.getAsLong());
        else o.putNull(k);
    }

    private static void ci(ObjectNode o, String k, double lo, double hi) {
        ArrayNode a = o.putArray(k);
        if (Double.isFinite(lo)) a.add(lo);
        else a.addNull();
        if (Double.isFinite(hi)) a.add(hi);
        else a.addNull();
    }
}
