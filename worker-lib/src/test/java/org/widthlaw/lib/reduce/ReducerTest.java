package org.widthlaw.lib.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.data.DataKind;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.fit.ScalingFit;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.search.CellStatus;
import org.widthlaw.lib.theory.Theory;

/** The reducer on plain lists: grouping, order, per-n spreads, and which theorem goes with which architecture. */
class ReducerTest {
    static GroupKey key(Arch arch, int depth, Trained trained) {
        return new GroupKey(arch, depth, 10, DataKind.SPHERE, Labels.RANDOM, trained, Activation.RELU);
    }

    static CellResult cell(GroupKey g, int n, long seed, int m) {
        CellKey k = new CellKey(g.arch().id() + "-n" + n + "-s" + seed, g, n, seed);
        CellStats stats = new CellStats(OptionalDouble.of(0.1), OptionalDouble.of(0.2), OptionalDouble.of(0.5));
        if (m == 0) {
            return new CellResult(
                    k,
                    20_000,
                    OptionalInt.empty(),
                    OptionalInt.of(4096),
                    OptionalLong.empty(),
                    CellStatus.UNREACHED,
                    12,
                    1.0,
                    stats,
                    java.util.Optional.empty());
        }
        return new CellResult(
                k,
                20_000,
                OptionalInt.of(m),
                OptionalInt.of(m - 1),
                OptionalLong.of(10L * m),
                CellStatus.FOUND,
                9,
                1.0,
                stats,
                java.util.Optional.empty());
    }

    @Test
    void groupsSortAndSummarise() {
        GroupKey two = key(Arch.TWO_LAYER, 2, Trained.HIDDEN);
        GroupKey fc = key(Arch.FC, 3, Trained.OUTPUT);
        List<CellResult> cells = new ArrayList<>();
        // Out of order on purpose; n = 100 has seeds with m* 9, 30, 12 and one unreached.
        cells.add(cell(fc, 100, 1, 80));
        cells.add(cell(two, 100, 2, 30));
        cells.add(cell(two, 50, 0, 5));
        cells.add(cell(two, 100, 0, 9));
        cells.add(cell(two, 100, 1, 12));
        cells.add(cell(two, 100, 3, 0));
        cells.add(cell(fc, 50, 1, 40));
        List<GroupFit> fits = Reducer.reduce(cells, "00ff00ff00ff00ff", 1);
        assertEquals(2, fits.size());
        // Groups in the order of their key's text: "arch=fc" before "arch=two-layer".
        assertEquals(fc, fits.get(0).key());
        assertEquals(two, fits.get(1).key());
        GroupFit g = fits.get(1);
        List<String> order = g.cells().stream().map(c -> c.n() + "/" + c.seed()).toList();
        assertEquals(List.of("50/0", "100/0", "100/1", "100/2", "100/3"), order);
        PerN at100 = g.perN().get(1);
        assertEquals(100, at100.n());
        assertEquals(4, at100.cells());
        assertEquals(1, at100.unreached());
        assertEquals(new PerN.Spread(12, 9, 30), at100.minWidth().orElseThrow());
        assertEquals(new PerN.Spread(120, 90, 300), at100.minParams().orElseThrow());
        PerN at50 = g.perN().get(0);
        assertEquals(new PerN.Spread(5, 5, 5), at50.minWidth().orElseThrow());
        // Even count: the median is the mean of the middle two.
        assertEquals(
                new PerN.Spread(7.5, 5, 10),
                Reducer.spread(List.of(10.0, 5.0, 8.0, 7.0)).orElseThrow());
        assertTrue(Reducer.spread(List.of()).isEmpty());
        // The unreached cell is not a point of the fit.
        assertEquals(Double.NaN, g.fit().paramsPerSample().get(4), 0);
        // Two n values with a measured m* give a law but no verdict (that needs three); the
        // bootstrap seed differs by group.
        assertTrue(Double.isFinite(fits.get(0).fit().power().alpha()));
        assertEquals(ScalingFit.INSUFFICIENT, fits.get(0).fit().verdict());
        assertTrue(fits.get(0).fit().bootstrapSeed() != g.fit().bootstrapSeed());
    }

    @Test
    void theTheoryTableNamesTheTheoremsOfEachArchitecture() {
        GroupKey two = key(Arch.TWO_LAYER, 2, Trained.HIDDEN);
        TheoryTable t = TheoryTable.of(two, List.of(cell(two, 100, 0, 20)), 1);
        List<String> names = t.points().get(0).entries().stream()
                .map(TheoryTable.Entry::name)
                .toList();
        assertEquals(
                List.of(
                        "du2019_thm4_1_width",
                        "du2019_lemma3_1_width",
                        "allen_zhu2019_width",
                        "degrees_of_freedom_params"),
                names);
        TheoryTable.Entry thm = t.points().get(0).entries().get(0);
        assertEquals(Theory.duTheorem41(100, 0.1), thm.required().orElseThrow(), 0);
        assertEquals(
                Math.log10(Theory.duTheorem41(100, 0.1) / 20),
                thm.log10RequiredOverMeasured().orElseThrow(),
                1e-12);
        TheoryTable.Entry dof = t.points().get(0).entries().get(3);
        assertEquals(Math.log10(100.0 / 200), dof.log10RequiredOverMeasured().orElseThrow(), 1e-12, "P* = 10 m*");

        GroupKey fcOut = key(Arch.FC, 3, Trained.OUTPUT);
        List<String> fcNames =
                TheoryTable.of(fcOut, List.of(cell(fcOut, 100, 0, 20)), 2).points().get(0).entries().stream()
                        .map(TheoryTable.Entry::name)
                        .toList();
        assertEquals(
                List.of(
                        "du2019_deep_fc_width",
                        "allen_zhu2019_width",
                        "kawaguchi2019_output_width",
                        "degrees_of_freedom_params"),
                fcNames);

        GroupKey res = key(Arch.RESNET, 4, Trained.ALL);
        TheoryTable.Entry deep = TheoryTable.of(res, List.of(cell(res, 100, 0, 0)), 1)
                .points()
                .get(0)
                .entries()
                .get(0);
        assertEquals("du2019_deep_resnet_width", deep.name());
        assertTrue(deep.required().isEmpty() && deep.missing().isPresent(), "not computed is said, not guessed");
    }

    @Test
    void theLawOfTheAsymptoticWidthsIsFittedOnPAtTheRealWidth() {
        GroupKey two = key(Arch.TWO_LAYER, 2, Trained.HIDDEN);
        List<CellResult> cells = new ArrayList<>();
        for (int n : new int[] {50, 100, 200, 400}) {
            for (long seed = 0; seed < 2; seed++) {
                CellResult c = cell(two, n, seed, 9);
                // m*_inf = 0.1 n exactly: P = 10 m = n, so the law is P = n^1.
                cells.add(c.withAsymptotic(
                        java.util.Optional.of(new AsymptoticWidth.Estimate(0.1 * n, 0.09 * n, 0.11 * n, 1.0, 5))));
            }
        }
        GroupFit g = Reducer.reduce(cells, "00ff00ff00ff00ff", 1).get(0);
        ScalingFit law = g.asymptoticLaw().orElseThrow();
        assertEquals(1.0, law.power().alpha(), 1e-12);
        assertEquals(0.0, law.power().logC(), 1e-9, "log c = 0");
        assertEquals(1.0, law.power().c(), 1e-9, "c = 1");
        assertEquals(8, law.points().size());
        // Cells without an estimate give no law.
        assertTrue(Reducer.reduce(List.of(cell(two, 50, 0, 5), cell(two, 100, 0, 9)), "00ff00ff00ff00ff", 1)
                .get(0)
                .asymptoticLaw()
                .isEmpty());
    }
}
