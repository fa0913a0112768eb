package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.widthlaw.lib.search.CellStatus;
import org.widthlaw.lib.search.SearchSpec;
import org.widthlaw.lib.search.SearchState;
import org.widthlaw.lib.search.WidthSearch;

class WidthSearchTest {
    static SearchState run(SearchSpec spec, IntPredicate oracle, List<Integer> probed) {
        SearchState s = WidthSearch.start(spec);
        while (!s.done()) {
            int w = s.pending().get(0);
            probed.add(w);
            s = WidthSearch.next(s, w, oracle.test(w));
        }
        return s;
    }

    static int ceilLog2(int x) {
        return x <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(x - 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 17, 64, 65, 100, 777, 4095, 4096})
    void findsTheExactThresholdOfAMonotoneOracle(int threshold) {
        SearchSpec spec = new SearchSpec(1, 4096, 1, false);
        List<Integer> probed = new ArrayList<>();
        SearchState s = run(spec, w -> w >= threshold, probed);
        assertEquals(CellStatus.FOUND, s.status());
        assertEquals(threshold, s.minWidth());
        assertEquals(threshold - 1, s.maxFailedWidth());
        // Bracket: 1, 2, 4, ... up to the first power of two >= threshold; then bisect the gap.
        int bracket = ceilLog2(threshold) + 1;
        int hi = 1 << ceilLog2(threshold);
        int lo = hi / 2;
        int bisect = threshold == 1 ? 0 : ceilLog2(hi - lo);
        assertTrue(probed.size() <= bracket + bisect, probed.toString());
        assertEquals(bracket, (int) probed.stream()
                .filter(w -> Integer.bitCount(w) == 1 && w <= hi)
                .distinct()
                .count());
        assertEquals(probed.size(), probed.stream().distinct().count(), "a width was probed twice");
    }

    @Test
    void aThresholdAboveTheRangeIsUnreached() {
        List<Integer> probed = new ArrayList<>();
        SearchState s = run(new SearchSpec(3, 100, 1, false), w -> w >= 500, probed);
        assertEquals(CellStatus.UNREACHED, s.status());
        assertEquals(List.of(3, 6, 12, 24, 48, 96, 100), probed);
        assertEquals(100, s.maxFailedWidth());
        assertEquals(0, s.minWidth());
    }

    @Test
    void relativeResolutionStopsEarly() {
        List<Integer> probed = new ArrayList<>();
        SearchState s = run(new SearchSpec(1, 4096, 0.05, false), w -> w >= 1000, probed);
        assertTrue(s.minWidth() >= 1000 && s.minWidth() - s.maxFailedWidth() <= 0.05 * s.minWidth());
        List<Integer> exact = new ArrayList<>();
        run(new SearchSpec(1, 4096, 1, false), w -> w >= 1000, exact);
        assertTrue(probed.size() < exact.size());
    }

    @Test
    void auditFlagsANonMonotoneCell() {
        // Succeeds at 40 but fails again at 44 (1.1 x 40).
        List<Integer> probed = new ArrayList<>();
        SearchState s = run(new SearchSpec(1, 4096, 1, true), w -> w >= 40 && w != 44, probed);
        assertEquals(40, s.minWidth());
        assertEquals(CellStatus.NON_MONOTONE, s.status());
        assertTrue(probed.containsAll(List.of(44, 50)));
        SearchState ok = run(new SearchSpec(1, 4096, 1, true), w -> w >= 40, new ArrayList<>());
        assertEquals(CellStatus.FOUND, ok.status());
    }

    @Test
    void auditWidthsStayWithinTheWidthRange() {
        // m* = 90 with m_hi = 100: 1.1 m* = 99 is trained, 1.25 m* = 113 is capped at 100.
        List<Integer> probed = new ArrayList<>();
        SearchState s = run(new SearchSpec(1, 100, 1, true), w -> w >= 90, probed);
        assertEquals(90, s.minWidth());
        assertTrue(probed.containsAll(List.of(99, 100)), probed.toString());
        assertTrue(probed.stream().allMatch(w -> w >= 1 && w <= 100), probed.toString());
        // m* = m_hi: nothing wider exists to audit; the cell is found without an audit probe.
        List<Integer> atTop = new ArrayList<>();
        SearchState top = run(new SearchSpec(1, 100, 1, true), w -> w >= 100, atTop);
        assertEquals(CellStatus.FOUND, top.status());
        assertEquals(100, top.minWidth());
        assertEquals(atTop.size(), atTop.stream().distinct().count(), "no width twice: " + atTop);
        // Every threshold of a non-monotone oracle on a small range: audit probes never leave it.
        for (int t = 1; t <= 64; t++) {
            int threshold = t;
            List<Integer> p = new ArrayList<>();
            run(new SearchSpec(1, 64, 1, true), w -> w >= threshold && w % 7 != 0, p);
            assertTrue(p.stream().allMatch(w -> w >= 1 && w <= 64), t + ": " + p);
        }
    }

    @Test
    void rejectsAWidthThatIsNotPending() {
        SearchState s = WidthSearch.start(SearchSpec.defaults());
        assertThrows(IllegalArgumentException.class, () -> WidthSearch.next(s, 7, true));
    }

    @Test
    void lookaheadCoversTheNextStepsOfEveryBranchAndChangesNothing() {
        SearchSpec spec = new SearchSpec(1, 4096, 1, false);
        SearchState s = WidthSearch.start(spec);
        for (int w : new int[] {1, 2, 4, 8, 16, 32}) s = WidthSearch.next(s, w, false);
        s = WidthSearch.next(s, 64, true); // bisecting (32, 64)
        assertEquals(List.of(48, 40, 56), WidthSearch.lookahead(s, 2));
        assertEquals(7, WidthSearch.lookahead(s, 3).size());
        // Whatever the threshold, the next three widths the search asks for are among the lookahead.
        for (int t = 33; t <= 64; t++) {
            List<Integer> ahead = WidthSearch.lookahead(s, 3);
            SearchState st = s;
            for (int i = 0; i < 3 && !st.done(); i++) {
                int w = st.pending().get(0);
                assertTrue(ahead.contains(w), "threshold " + t + ": " + w + " not in " + ahead);
                st = WidthSearch.next(st, w, w >= t);
            }
        }
        // From the start: 1; on failure 2; then 4; then 3 (bisect after success at 4) or 8.
        assertEquals(List.of(1, 2, 4, 3, 8), WidthSearch.lookahead(WidthSearch.start(spec), 4));
    }

    /** Runs a search from {@code s} to its end, recording every width it asks for. */
    static SearchState drive(SearchState s, IntPredicate oracle, List<Integer> probed) {
        while (!s.done()) {
            int w = s.pending().get(0);
            probed.add(w);
            s = WidthSearch.next(s, w, oracle.test(w));
        }
        return s;
    }

    @Test
    void aWarmStartEndsWhereTheColdSearchEndsOnEveryMonotoneOracle() {
        SearchSpec spec = new SearchSpec(3, 1000, 1, false);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        for (int trial = 0; trial < 20_000; trial++) {
            int threshold = rng.nextInt(1, 1100); // some below min_width, some above max_width
            int guess = rng.nextInt(1, 1100), step = rng.nextInt(1, 200);
            IntPredicate oracle = w -> w >= threshold;
            SearchState cold = run(spec, oracle, new ArrayList<>());
            List<Integer> probed = new ArrayList<>();
            SearchState warm = drive(WidthSearch.start(spec, guess, step), oracle, probed);
            String why = "threshold " + threshold + ", guess " + guess + " step " + step + ": " + probed;
            assertEquals(cold.status(), warm.status(), why);
            assertEquals(cold.minWidth(), warm.minWidth(), why);
            assertEquals(cold.maxFailedWidth(), warm.maxFailedWidth(), why);
            assertEquals(probed.size(), probed.stream().distinct().count(), "a width twice: " + why);
            assertTrue(probed.stream().allMatch(w -> w >= 3 && w <= 1000), why);
            // Closed by records: m* and the failure just below it were trained (m* = min_width needs no failure).
            if (warm.minWidth() > 0) assertTrue(probed.contains(warm.minWidth()), why);
            if (warm.maxFailedWidth() > 0) assertTrue(probed.contains(warm.maxFailedWidth()), why);
        }
    }

    @Test
    void aGoodGuessNeedsFewerProbesAndAMissMovesOutwardByDoublingSteps() {
        SearchSpec spec = new SearchSpec(1, 4096, 1, false);
        List<Integer> cold = new ArrayList<>();
        run(spec, w -> w >= 90, cold);
        List<Integer> warm = new ArrayList<>();
        drive(WidthSearch.start(spec, 98, 10), w -> w >= 90, warm);
        // 98 succeeds, 88 fails: bisect (88, 98).
        assertEquals(List.of(98, 88, 93, 90, 89), warm);
        assertTrue(warm.size() < cold.size() - 5, warm + " against " + cold);
        // Too small a guess: 98 + 10, + 20, + 40; the bracket is (128, 168).
        List<Integer> up = new ArrayList<>();
        drive(WidthSearch.start(spec, 98, 10), w -> w >= 150, up);
        assertEquals(List.of(98, 108, 128, 168), up.subList(0, 4));
        // Too large: 98 - 10, - 20, - 40; the bracket is (28, 68).
        List<Integer> down = new ArrayList<>();
        drive(WidthSearch.start(spec, 98, 10), w -> w >= 50, down);
        assertEquals(List.of(98, 88, 68, 28), down.subList(0, 4));
        // Steps stop at the range: down to min_width (m* = min_width needs no failure), up to max_width.
        List<Integer> floor = new ArrayList<>();
        SearchState f = drive(WidthSearch.start(new SearchSpec(5, 4096, 1, false), 12, 4), w -> w >= 2, floor);
        assertEquals(List.of(12, 8, 5), floor);
        assertEquals(5, f.minWidth());
        List<Integer> ceiling = new ArrayList<>();
        SearchState c = drive(WidthSearch.start(new SearchSpec(1, 30, 1, false), 20, 4), w -> false, ceiling);
        assertEquals(List.of(20, 24, 30), ceiling);
        assertEquals(CellStatus.UNREACHED, c.status());
        assertThrows(IllegalArgumentException.class, () -> WidthSearch.start(spec, 10, 0));
    }

    @Test
    void aWarmStartKeepsItsBoundsOnAnyOracle() {
        // Non-monotone oracles: the search ends inside the range; before its audit (whose widths may
        // have been trained already, and are then read from the record) it never asks for a width twice.
        SearchSpec spec = new SearchSpec(1, 64, 1, true);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int trial = 0; trial < 5_000; trial++) {
            long mask = rng.nextLong();
            int guess = rng.nextInt(1, 65), step = rng.nextInt(1, 20);
            IntPredicate oracle = w -> (mask >>> (w - 1) & 1) == 1 || w == 64;
            List<Integer> probed = new ArrayList<>();
            SearchState end = drive(WidthSearch.start(spec, guess, step), oracle, probed);
            assertTrue(end.done());
            assertTrue(probed.stream().allMatch(w -> w >= 1 && w <= 64), probed.toString());
            List<Integer> plain = new ArrayList<>();
            drive(WidthSearch.start(new SearchSpec(1, 64, 1, false), guess, step), oracle, plain);
            assertEquals(plain.size(), plain.stream().distinct().count(), plain.toString());
        }
    }
}
