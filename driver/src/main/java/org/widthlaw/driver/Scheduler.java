package org.widthlaw.driver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.ToDoubleBiFunction;
import org.widthlaw.lib.search.SearchState;
import org.widthlaw.lib.search.WidthSearch;

/**
 * What to train next: a pure function of the cells' search states, what is recorded and what is
 * in flight (docs/ARCHITECTURE.md, "Distribution"). The pending widths of a cell's idle searches
 * (none of their pending widths in flight; a cell has one search per budget) go out as one task,
 * the costliest tasks first, split into single widths while slots would otherwise be free
 * ({@link #split}); slots still free train ahead, round robin over the unfinished
 * searches in grid order, the widths each search may ask for next
 * ({@link WidthSearch#lookahead}), one width per task. No width is ever queued twice, and where a
 * search ends never depends on the order in which results arrive.
 */
final class Scheduler {
    /** How many search steps ahead a cell may train while slots would otherwise be idle. */
    static final int LOOKAHEAD_STEPS = 6;

    private Scheduler() {}

    /** One width of one cell. */
    record Probe(String cellId, int width) {}

    /**
     * One search as the scheduler sees it, in grid order: a cell has one per budget of the ladder
     * ({@code rung}); the searches of a cell share its probes.
     */
    record Search(String cellId, int rung, SearchState state) {
        Search(String cellId, SearchState state) {
            this(cellId, 0, state);
        }
    }

    /** Widths of one cell trained together as one Spark task; {@code ahead}: trained before the search asks. */
    record Task(String cellId, List<Integer> widths, boolean ahead) {
        Task {
            widths = List.copyOf(widths);
        }
    }

    /** A search advanced over recorded outcomes: its new state and the widths it consumed, in order. */
    record Folded(SearchState state, List<Integer> used) {}

    /**
     * Advances a search while an outcome of one of its pending widths is known ({@code outcome}
     * gives success or failure, or empty when the width is not recorded).
     */
    static Folded fold(SearchState state, IntFunction<Optional<Boolean>> outcome) {
        List<Integer> used = new ArrayList<>();
        SearchState s = state;
        while (!s.done()) {
            Optional<Boolean> hit = Optional.empty();
            int width = 0;
            for (int w : s.pending()) {
                hit = outcome.apply(w);
                width = w;
                if (hit.isPresent()) break;
            }
            if (hit.isEmpty()) break;
            s = WidthSearch.next(s, width, hit.get());
            used.add(width);
        }
        return new Folded(s, used);
    }

    /** True when none of the search's pending widths is in flight. */
    static boolean idle(Search s, Set<Probe> inFlight) {
        return s.state().pending().stream().noneMatch(w -> inFlight.contains(new Probe(s.cellId(), w)));
    }

    /**
     * While fewer fresh tasks than free slots are ready, the costliest width of the costliest task
     * of several widths goes out as a task of its own (a width trains alone with the bits it gets in
     * a batch), so that a slot trains what would otherwise wait behind it; the list stays costliest first.
     */
    static void split(List<Task> fresh, int free, ToDoubleBiFunction<String, Integer> cost) {
        while (fresh.size() < free) {
            int at = -1;
            for (int i = 0; i < fresh.size() && at < 0; i++)
                if (fresh.get(i).widths().size() > 1) at = i;
            if (at < 0) return;
            Task t = fresh.get(at);
            String id = t.cellId();
            int widest = t.widths().stream()
                    .max(Comparator.comparingDouble((Integer w) -> cost.applyAsDouble(id, w)))
                    .orElseThrow();
            List<Integer> rest = new ArrayList<>(t.widths());
            rest.remove(Integer.valueOf(widest));
            fresh.set(at, new Task(id, rest, false));
            fresh.add(new Task(id, List.of(widest), false));
            costliestFirst(fresh, cost);
        }
    }

    private static void costliestFirst(List<Task> tasks, ToDoubleBiFunction<String, Integer> cost) {
        tasks.sort(Comparator.comparingDouble((Task t) -> -t.widths().stream()
                .mapToDouble(w -> cost.applyAsDouble(t.cellId(), w))
                .sum()));
    }

    /**
     * The tasks to submit now.
     *
     * @param searches every cell's search, in grid order, already folded over what is recorded
     * @param recorded the probes whose results are recorded
     * @param inFlight the probes queued or training
     * @param tasksInFlight how many tasks are queued or training
     * @param slots how many tasks run at once
     * @param cost the cost of training a width of a cell to its budget
     */
    static List<Task> next(
            List<Search> searches,
            Set<Probe> recorded,
            Set<Probe> inFlight,
            int tasksInFlight,
            int slots,
            ToDoubleBiFunction<String, Integer> cost) {
        List<Task> fresh = new ArrayList<>();
        Set<Probe> taken = new HashSet<>(inFlight);
        for (Search s : searches) {
            if (s.state().done() || !idle(s, inFlight)) continue;
            List<Integer> widths = new ArrayList<>();
            for (int w : s.state().pending()) {
                Probe p = new Probe(s.cellId(), w);
                if (!recorded.contains(p) && taken.add(p)) widths.add(w);
            }
            if (!widths.isEmpty())
                fresh.add(new Task(s.cellId(), widths.stream().sorted().toList(), false));
        }
        costliestFirst(fresh, cost);
        split(fresh, slots - tasksInFlight, cost);
        List<Task> out = new ArrayList<>(fresh);
        int free = slots - tasksInFlight - fresh.size();
        if (free <= 0) return out;
        List<Search> open = searches.stream().filter(s -> !s.state().done()).toList();
        List<Iterator<Integer>> ahead = new ArrayList<>();
        for (Search s : open)
            ahead.add(WidthSearch.lookahead(s.state(), LOOKAHEAD_STEPS).iterator());
        boolean any = true;
        while (free > 0 && any) {
            any = false;
            for (int i = 0; i < open.size() && free > 0; i++) {
                Iterator<Integer> it = ahead.get(i);
                while (it.hasNext()) {
                    Probe p = new Probe(open.get(i).cellId(), it.next());
                    if (recorded.contains(p) || !taken.add(p)) continue;
                    out.add(new Task(p.cellId(), List.of(p.width()), true));
                    free--;
                    any = true;
                    break;
                }
            }
        }
        return out;
    }
}
