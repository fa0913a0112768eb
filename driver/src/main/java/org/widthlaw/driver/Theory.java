package org.widthlaw.driver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.widthlaw.lib.theory.Ntk;

/**
 * The theory table of a group for scaling.json (PROTOCOL.md section 7): each theorem's required
 * width (or parameter count) next to the measured m* (P*), as log10(required / measured), with the
 * constants and delta stated; where a formula needs a quantity the job did not compute, the entry
 * says what is missing instead of a number. The formulas are worker-lib's
 * {@link org.widthlaw.lib.theory.Theory}; this class only lays them out.
 */
final class Theory {
    private Theory() {}

    static ObjectNode forGroup(Reducer.GroupFit g, Job job) {
        ObjectNode t = JobParser.JSON.createObjectNode();
        t.put("delta", org.widthlaw.lib.theory.Theory.DELTA);
        t.put("constants", "every hidden constant set to 1");
        t.put("measure", "log10(required / measured): widths against m*, parameter counts against P*");
        int k = job.data().outputs();
        String arch = g.key().arch();
        int depth = g.key().depth();
        boolean relu = g.key().activation().equals("relu");
        ArrayNode rows = t.putArray("points");
        for (Row r : g.cells()) {
            int n = r.getAs("n");
            Integer m = r.getAs("min_width");
            Long p = r.getAs("min_params");
            double measured = m == null ? Double.NaN : m;
            ObjectNode o = rows.addObject();
            o.put("n", n).put("seed", r.<Long>getAs("seed"));
            double lambda0 = Rows.orNaN(r, "lambda0");
            double deep = Rows.orNaN(r, "lambda_deep");
            double sep = Rows.orNaN(r, "delta_sep");
            Reducer.num(o, "lambda0", lambda0);
            Reducer.num(o, "lambda_deep", deep);
            Reducer.num(o, "delta_sep", sep);
            String bigN = "n > " + Ntk.MAX_N + ": not computed";
            if (arch.equals("two-layer")) {
                String miss = Double.isNaN(lambda0) ? "lambda0 " + bigN : null;
                entry(o, "du2019_thm4_1_width", org.widthlaw.lib.theory.Theory.duTheorem41(n, lambda0), measured, miss);
                entry(o, "du2019_lemma3_1_width", org.widthlaw.lib.theory.Theory.duLemma31(n, lambda0), measured, miss);
            } else if (arch.equals("fc")) {
                String miss = !relu ? "the limiting Gram K^(L) is computed for ReLU only" : Double.isNaN(deep) ? "lambda " + bigN : null;
                entry(o, "du2019_deep_fc_width", org.widthlaw.lib.theory.Theory.duDeepFc(n, depth, deep), measured, miss);
            } else {
                entry(o, "du2019_deep_resnet_width", Double.NaN, measured, "the ResNet limiting Gram K^(L) is not computed");
            }
            entry(o, "allen_zhu2019_width", org.widthlaw.lib.theory.Theory.allenZhu(n, depth, sep), measured,
                    Double.isNaN(sep) ? "delta_sep not computed" : null);
            if (g.key().trained().equals("output")) {
                entry(o, "kawaguchi2019_output_width", org.widthlaw.lib.theory.Theory.kawaguchiOutput(n, k), measured, null);
            }
            entry(o, "degrees_of_freedom_params", org.widthlaw.lib.theory.Theory.degreesOfFreedom(n, k),
                    p == null ? Double.NaN : p, null);
        }
        return t;
    }

    private static void entry(ObjectNode o, String name, double required, double measured, String missing) {
        ObjectNode e = o.putObject(name);
        if (missing != null) {
            e.putNull("required");
            e.putNull("log10_required_over_measured");
            e.put("missing", missing);
            return;
        }
        Reducer.num(e, "required", required);
        Reducer.num(e, "log10_required_over_measured", StrictMath.log10(required / measured));
    }
}
