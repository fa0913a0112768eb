package org.widthlaw.driver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;

/**
 * The theory table of a group for scaling.json: each theorem's required width next to the
 * measured m*, as log10(required / measured). The formulas are worker-lib's
 * {@link org.widthlaw.lib.theory.Theory}; this class only lays them out.
 */
final class Theory {
    private Theory() {}

    static ObjectNode forGroup(Reducer.GroupFit g, Job job) {
        ObjectNode t = JobParser.JSON.createObjectNode();
        t.put("delta", org.widthlaw.lib.theory.Theory.DELTA);
        t.put("constants", "every hidden constant set to 1");
        int k = job.data().outputs();
        boolean twoLayer = g.key().arch().equals("two-layer");
        ArrayNode rows = t.putArray("points");
        for (Row r : g.cells()) {
            int n = r.getAs("n");
            Integer m = r.getAs("min_width");
            Long p = r.getAs("min_params");
            ObjectNode o = rows.addObject();
            o.put("n", n).put("seed", r.<Long>getAs("seed"));
            double lambda0 = Rows.orNaN(r, "lambda0");
            Reducer.num(o, "lambda0", lambda0);
            double measured = m == null ? Double.NaN : m;
            if (twoLayer) {
                entry(o, "du2019_thm4_1_width", org.widthlaw.lib.theory.Theory.duTheorem41(n, lambda0), measured,
                        Double.isNaN(lambda0) ? "lambda0 not computed for this n" : null);
                entry(o, "du2019_lemma3_1_width", org.widthlaw.lib.theory.Theory.duLemma31(n, lambda0), measured,
                        Double.isNaN(lambda0) ? "lambda0 not computed for this n" : null);
            }
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
        Reducer.num(e, "required", required);
        double ratio = Math.log10(required / measured);
        Reducer.num(e, "log10_required_over_measured", ratio);
        if (missing != null) e.put("missing", missing);
    }
}
