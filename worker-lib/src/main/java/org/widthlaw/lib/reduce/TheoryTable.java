package org.widthlaw.lib.reduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.theory.Ntk;
import org.widthlaw.lib.theory.Theory;

/**
 * The theory beside the measurement for one group (docs/METHOD.md section 7): per cell, each
 * theorem that applies to the group's architecture, its required width (or parameter count) and
 * log10(required / measured). Where a formula needs a quantity that was not computed, the entry
 * says what is missing instead of a number.
 */
public record TheoryTable(double delta, String constants, String measure, List<Point> points) {
    public static final String CONSTANTS = "every hidden constant set to 1";
    public static final String MEASURE = "log10(required / measured): widths against m*, parameter counts against P*";

    public TheoryTable {
        points = List.copyOf(points);
    }

    /** One cell's row. */
    public record Point(int n, long seed, CellStats stats, List<Entry> entries) {
        public Point {
            entries = List.copyOf(entries);
        }
    }

    /**
     * One theorem's requirement: {@code name} is the stable field name (e.g. {@code du2019_thm4_1_width});
     * required and the ratio are empty when not finite or when {@code missing} says why not computed.
     */
    public record Entry(
            String name, OptionalDouble required, OptionalDouble log10RequiredOverMeasured, Optional<String> missing) {
        static Entry of(String name, double required, double measured, String missing) {
            if (missing != null)
                return new Entry(name, OptionalDouble.empty(), OptionalDouble.empty(), Optional.of(missing));
            return new Entry(name, finite(required), finite(StrictMath.log10(required / measured)), Optional.empty());
        }

        private static OptionalDouble finite(double v) {
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        }
    }

    /** The table of a group's cells; {@code k} is the number of outputs (targets per sample). */
    public static TheoryTable of(GroupKey key, List<CellResult> cells, int k) {
        boolean relu = key.activation() == Activation.RELU;
        String bigN = "n > " + Ntk.MAX_N + ": not computed";
        List<Point> rows = new ArrayList<>();
        for (CellResult c : cells) {
            int n = c.n();
            double measured = c.minWidth().isPresent() ? c.minWidth().getAsInt() : Double.NaN;
            double lambda0 = c.stats().lambda0().orElse(Double.NaN);
            double deep = c.stats().lambdaDeep().orElse(Double.NaN);
            double sep = c.stats().deltaSep().orElse(Double.NaN);
            List<Entry> e = new ArrayList<>();
            switch (key.arch()) {
                case TWO_LAYER -> {
                    String miss = Double.isNaN(lambda0) ? "lambda0 " + bigN : null;
                    e.add(Entry.of("du2019_thm4_1_width", Theory.duTheorem41(n, lambda0), measured, miss));
                    e.add(Entry.of("du2019_lemma3_1_width", Theory.duLemma31(n, lambda0), measured, miss));
                }
                case FC -> {
                    String miss = !relu
                            ? "the limiting Gram K^(L) is computed for ReLU only"
                            : Double.isNaN(deep) ? "lambda " + bigN : null;
                    e.add(Entry.of("du2019_deep_fc_width", Theory.duDeepFc(n, key.depth(), deep), measured, miss));
                }
                case RESNET ->
                    e.add(Entry.of(
                            "du2019_deep_resnet_width",
                            Double.NaN,
                            measured,
                            "the ResNet limiting Gram K^(L) is not computed"));
                case CNN ->
                    e.add(Entry.of(
                            "du2019_deep_cnn_width",
                            Double.NaN,
                            measured,
                            "the CNN limiting Gram K^(L) is not computed"));
            }
            e.add(Entry.of(
                    "allen_zhu2019_width",
                    Theory.allenZhu(n, key.depth(), sep),
                    measured,
                    Double.isNaN(sep) ? "delta_sep not computed" : null));
            if (key.trained() == Trained.OUTPUT) {
                e.add(Entry.of("kawaguchi2019_output_width", Theory.kawaguchiOutput(n, k), measured, null));
            }
            double params = c.minParams().isPresent() ? c.minParams().getAsLong() : Double.NaN;
            e.add(Entry.of("degrees_of_freedom_params", Theory.degreesOfFreedom(n, k), params, null));
            rows.add(new Point(n, c.seed(), c.stats(), e));
        }
        return new TheoryTable(Theory.DELTA, CONSTANTS, MEASURE, rows);
    }
}
