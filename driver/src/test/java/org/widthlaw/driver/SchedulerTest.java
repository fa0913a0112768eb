package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.widthlaw.lib.search.SearchSpec;
import org.widthlaw.lib.search.SearchState;
import org.widthlaw.lib.search.WidthSearch;

/**
 * The scheduling policy on oracle cells, with tasks finishing in a seeded random order on a given
 * number of slots: every search ends where a search alone would, no width is queued twice, idle
 * cells always get their task, the costliest fresh tasks go first, and no slot idles while any
 * unfinished cell has pending or look-ahead work left or a task just sent has widths to spare.
 */
class SchedulerTest {
    /** Twelve cells: thresholds spread from 1 to max_width and beyond, some not monotone. */
    static Map<String, IntPredicate> oracles() {
        Map<String, IntPredicate> out = new LinkedHashMap<>();
        int[] thresholds = {1, 2, 3, 7, 13, 40, 41, 100, 257, 1000, 4096, 5000};
        for (int i = 0; i < thresholds.length; i++) {
            int t = thresholds[i];
            IntPredicate o = i % 3 == 2 ? w -> w >= t && w != (int) Math.round(1.1 * t) : w -> w >= t;
            out.put("cell" + i, o);
        }
        return out;
    }

    static SearchState alone(SearchSpec spec, IntPredicate oracle) {
        SearchState s = WidthSearch.start(spec);
        while (!s.done()) {
            int w = s.pending().get(0);
            s = WidthSearch.next(s, w, oracle.test(w));
        }
        return s;
    }

    @ParameterizedTest(name = "slots {0}, seed {1}, audit {2}")
    @CsvSource({"1, 1, false", "2, 2, false", "2, 3, true", "3, 4, true", "8, 5, true", "40, 6, false"})
    void searchesEndAsAloneAndSlotsNeverIdle(int slots, long seed, boolean audit) {
        SearchSpec spec = new SearchSpec(1, 4096, 1, audit);
        Map<String, IntPredicate> oracles = oracles();
        Map<String, SearchState> states = new LinkedHashMap<>();
        oracles.keySet().forEach(id -> states.put(id, WidthSearch.start(spec)));
        Map<Scheduler.Probe, Boolean> recorded = new HashMap<>();
        Set<Scheduler.Probe> inFlight = new HashSet<>();
        Set<Scheduler.Probe> everQueued = new HashSet<>();
        List<Scheduler.Task> running = new ArrayList<>();
        SplittableRandom order = new SplittableRandom(seed);
        // Cost grows with width, so a task of wider widths must come first.
        java.util.function.ToDoubleBiFunction<String, Integer> cost = (id, w) -> (double) w * w;
        int decisions = 0;
        while (true) {
            List<Scheduler.Search> searches = new ArrayList<>();
            for (Map.Entry<String, SearchState> e : states.entrySet()) {
                Scheduler.Search s = new Scheduler.Search(e.getKey(), e.getValue());
                if (Scheduler.idle(s, inFlight)) {
                    String id = e.getKey();
                    s = new Scheduler.Search(
                            id,
                            Scheduler.fold(
                                            e.getValue(),
                                            w -> Optional.ofNullable(recorded.get(new Scheduler.Probe(id, w))))
                                    .state());
                    states.put(id, s.state());
                }
                searches.add(s);
            }
            boolean allDone = searches.stream().allMatch(s -> s.state().done());
            if (allDone && running.isEmpty()) break;
            List<Scheduler.Task> tasks =
                    Scheduler.next(searches, recorded.keySet(), inFlight, running.size(), slots, cost);
            decisions++;
            // Idle unfinished cells get their pending widths, costliest first.
            List<Scheduler.Task> fresh = tasks.stream().filter(t -> !t.ahead()).toList();
            for (Scheduler.Search s : searches) {
                if (s.state().done() || !Scheduler.idle(s, inFlight)) continue;
                assertTrue(
                        fresh.stream().anyMatch(t -> t.cellId().equals(s.cellId())),
                        "idle " + s.cellId() + " gets a task");
            }
            for (int i = 1; i < fresh.size(); i++) {
                double before = fresh.get(i - 1).widths().stream()
                        .mapToDouble(w -> cost.applyAsDouble("", w))
                        .sum();
                double after = fresh.get(i).widths().stream()
                        .mapToDouble(w -> cost.applyAsDouble("", w))
                        .sum();
                assertTrue(before >= after, "costliest first");
            }
            for (Scheduler.Task t : tasks) {
                for (int w : t.widths()) {
                    Scheduler.Probe p = new Scheduler.Probe(t.cellId(), w);
                    assertTrue(everQueued.add(p), "never a width twice: " + p);
                    assertFalse(recorded.containsKey(p));
                    inFlight.add(p);
                }
                running.add(t);
            }
            if (running.size() < slots) {
                // Slots idle: then no task just sent has widths to spare (a batch is split first) ...
                assertTrue(fresh.stream().allMatch(t -> t.widths().size() == 1), "a batch waits on one slot");
                // ... and no unfinished cell may have a pending or look-ahead width left untaken.
                for (Scheduler.Search s : searches) {
                    if (s.state().done()) continue;
                    List<Integer> work = new ArrayList<>(s.state().pending());
                    work.addAll(WidthSearch.lookahead(s.state(), Scheduler.LOOKAHEAD_STEPS));
                    for (int w : work) {
                        Scheduler.Probe p = new Scheduler.Probe(s.cellId(), w);
                        assertTrue(recorded.containsKey(p) || inFlight.contains(p), "slot idle while " + p + " waits");
                    }
                }
            }
            // Some task finishes (seeded random order: timing must not matter).
            Scheduler.Task doneTask = running.remove(order.nextInt(running.size()));
            for (int w : doneTask.widths()) {
                Scheduler.Probe p = new Scheduler.Probe(doneTask.cellId(), w);
                inFlight.remove(p);
                recorded.put(p, oracles.get(doneTask.cellId()).test(w));
            }
            assertTrue(decisions < 100_000, "terminates");
        }
        for (Map.Entry<String, IntPredicate> e : oracles.entrySet()) {
            SearchState expect = alone(spec, e.getValue());
            SearchState got = states.get(e.getKey());
            assertEquals(expect.status(), got.status(), e.getKey());
            assertEquals(expect.minWidth(), got.minWidth(), e.getKey());
            assertEquals(expect.maxFailedWidth(), got.maxFailedWidth(), e.getKey());
        }
    }

    @ParameterizedTest(name = "threshold {0}")
    @CsvSource({"1", "5", "64", "65", "4097"})
    void foldConsumesExactlyTheWidthsASearchAloneTrains(int threshold) {
        SearchSpec spec = new SearchSpec(1, 4096, 1, true);
        List<Integer> trained = new ArrayList<>();
        SearchState s = WidthSearch.start(spec);
        while (!s.done()) {
            int w = s.pending().get(0);
            trained.add(w);
            s = WidthSearch.next(s, w, w >= threshold);
        }
        // Everything recorded up front, plus widths no search would ask for: fold takes only what it needs.
        Scheduler.Folded f = Scheduler.fold(WidthSearch.start(spec), w -> Optional.of(w >= threshold));
        assertEquals(trained, f.used());
        assertEquals(s, f.state());
        // Nothing recorded: nothing consumed.
        assertTrue(Scheduler.fold(WidthSearch.start(spec), w -> Optional.empty())
                .used()
                .isEmpty());
    }

    @org.junit.jupiter.api.Test
    void freeSlotsTakeWidthsOffBatchesCostliestFirst() {
        java.util.function.ToDoubleBiFunction<String, Integer> cost = (id, w) -> (double) w * w;
        List<Scheduler.Task> one = new ArrayList<>(List.of(new Scheduler.Task("a", List.of(10, 20, 30), false)));
        Scheduler.split(one, 1, cost);
        assertEquals(List.of(new Scheduler.Task("a", List.of(10, 20, 30), false)), one, "one slot: the batch stays");
        List<Scheduler.Task> two = new ArrayList<>(List.of(
                new Scheduler.Task("a", List.of(10, 20, 30), false), new Scheduler.Task("b", List.of(5), false)));
        Scheduler.split(two, 3, cost);
        assertEquals(
                List.of(
                        new Scheduler.Task("a", List.of(30), false),
                        new Scheduler.Task("a", List.of(10, 20), false),
                        new Scheduler.Task("b", List.of(5), false)),
                two);
        List<Scheduler.Task> all = new ArrayList<>(List.of(new Scheduler.Task("a", List.of(10, 20, 30), false)));
        Scheduler.split(all, 8, cost);
        assertEquals(
                List.of(
                        new Scheduler.Task("a", List.of(30), false),
                        new Scheduler.Task("a", List.of(20), false),
                        new Scheduler.Task("a", List.of(10), false)),
                all,
                "never more tasks than widths");
    }
}
