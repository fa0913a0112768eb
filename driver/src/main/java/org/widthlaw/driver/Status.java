package org.widthlaw.driver;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.widthlaw.lib.Plural;
import org.widthlaw.lib.search.CellStatus;
import org.widthlaw.lib.search.SearchState;
import org.widthlaw.lib.search.WidthSearch;
import org.widthlaw.lib.train.ProbeResult;

/**
 * Where a sweep stands, read from OUT alone (docs/ARCHITECTURE.md, "Progress and status"): the
 * recorded probes replayed through every cell's searches exactly as a run folds them, so it
 * agrees with the run that wrote them, during the run (the lease is read, never taken; nothing is
 * written) and after it. Per cell: its status, m* at each budget (or the bracket still searched),
 * the probes recorded and their training time; then the totals and, for unfinished work, the
 * time left ({@link Eta}, at the rate measured on the recorded probes, over the slots the
 * latest run had by OUT/run.json).
 */
final class Status {
    private Status() {}

    /** One cell as status shows it. */
    record CellLine(String cellId, List<String> widths, String status, int probes, double secs, boolean done) {}

    /** The sweep as status shows it. */
    record View(
            Job job,
            List<Integer> budgets,
            List<CellLine> cells,
            int probes,
            long steps,
            double secs,
            OptionalDouble secsLeft,
            int probesLeft) {
        int cellsDone() {
            return (int) cells.stream().filter(CellLine::done).count();
        }
    }

    /** The view of {@code job} from its recorded probes, with {@code slots} for the time left. */
    static View of(Job job, Map<String, ProbeRecord> recorded, int slots) {
        List<Integer> budgets = job.train().budgets();
        int top = budgets.get(budgets.size() - 1);
        Map<String, ProbeResult> byId = new HashMap<>();
        Map<String, List<ProbeResult>> byCell = new HashMap<>();
        Set<Scheduler.Probe> answered = new HashSet<>();
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Cell c : job.cells()) cells.put(c.cellId(), c);
        long steps = 0;
        double secs = 0;
        int probes = 0;
        for (ProbeRecord p : recorded.values()) {
            ProbeResult r = p.result();
            if (!cells.containsKey(r.cellId())) continue; // a cell the grid no longer holds
            byId.put(r.probeId(), r);
            byCell.computeIfAbsent(r.cellId(), k -> new ArrayList<>()).add(r);
            if (r.successAt(top).isPresent()) answered.add(new Scheduler.Probe(r.cellId(), r.width()));
            steps += r.steps() - r.resumedFrom();
            secs += r.secs();
            probes++;
        }
        List<CellLine> lines = new ArrayList<>();
        List<Eta.Open> open = new ArrayList<>();
        Map<String, SearchState> topStates = new HashMap<>();
        // Warm starts: a cell that waits starts from its anchor's m* at the same budget, once that
        // search is done (the grid puts every anchor before the cells that wait for it).
        Map<String, String> anchors = job.warmAnchors();
        Map<String, SearchState> searched = new HashMap<>(); // cell id + "@" + budget
        for (Cell c : cells.values()) {
            String anchor = anchors.get(c.cellId());
            List<String> widths = new ArrayList<>();
            List<CellStatus> statuses = new ArrayList<>();
            boolean done = true;
            int below = 0; // m* at the budget below: m*(T) never grows with T
            for (int budget : budgets) {
                SearchState start = WidthSearch.start(job.search());
                if (anchor != null) {
                    SearchState a = searched.get(anchor + "@" + budget);
                    if (a == null || !a.done()) {
                        done = false;
                        open.add(new Eta.Open(c, start)); // waiting: counted as a cold search
                        widths.add("?");
                        continue;
                    }
                    start = job.search().startFrom(a.minWidth());
                }
                Scheduler.Folded f = Scheduler.fold(
                        start,
                        w -> Optional.ofNullable(byId.get(Sweep.probeId(job.hash(), c.cellId(), w)))
                                .flatMap(r -> r.successAt(budget)));
                SearchState s = f.state();
                searched.put(c.cellId() + "@" + budget, s);
                if (budget == top) topStates.put(c.cellId(), s);
                if (!s.done()) {
                    done = false;
                    open.add(new Eta.Open(c, s));
                    widths.add(s.firstSuccess() > 0 ? "(" + s.lastFail() + "," + s.firstSuccess() + "]" : "?");
                    continue;
                }
                int m = s.minWidth();
                CellStatus st = s.status();
                if (below > 0 && (m == 0 || below < m)) {
                    m = below;
                    if (st == CellStatus.UNREACHED) st = CellStatus.FOUND;
                }
                below = m;
                statuses.add(st);
                widths.add(m > 0 ? Integer.toString(m) : ">" + s.maxFailedWidth());
            }
            String status = !done
                    ? "searching"
                    : String.join(
                            "/",
                            statuses.stream().map(CellStatus::id).distinct().toList());
            List<ProbeResult> mine = byCell.getOrDefault(c.cellId(), List.of());
            lines.add(new CellLine(
                    c.cellId(),
                    widths,
                    status,
                    mine.size(),
                    mine.stream().mapToDouble(ProbeResult::secs).sum(),
                    done));
        }
        Eta.Work w = Eta.left(
                open,
                top,
                Eta.budgetShares(byId.values(), topStates::get),
                (id, width) -> answered.contains(new Scheduler.Probe(id, width)));
        Optional<Eta.Rate> rate = Eta.rate(byId.values(), cells::get);
        OptionalDouble left = open.isEmpty()
                ? OptionalDouble.of(0)
                : rate.isPresent() ? OptionalDouble.of(Eta.seconds(w, rate.get(), slots)) : OptionalDouble.empty();
        return new View(job, budgets, lines, probes, steps, secs, left, w.probes());
    }

    /** The lease on OUT as status reports it: held by a live run, or not. */
    record Lease(boolean live, String owner, long expiresInSecs) {}

    /** Reads OUT/.lock without touching it. */
    static Optional<Lease> lease(ResultsStore store, long nowMillis) {
        if (!store.exists(ResultsStore.LOCK)) return Optional.empty();
        String owner = store.readText(ResultsStore.LOCK).trim();
        boolean live = !ResultsStore.isStale(owner) && !ResultsStore.expired(owner, nowMillis);
        long in = 0;
        for (String part : owner.split(" ")) {
            if (part.startsWith("expires=")) {
                try {
                    in = (Long.parseLong(part.substring("expires=".length())) - nowMillis) / 1000;
                } catch (NumberFormatException e) {
                    in = 0;
                }
            }
        }
        String who = owner.replaceAll("\\s*expires=\\S*", "").replaceAll("\\s*jvm=\\S*", "");
        return Optional.of(new Lease(live, who, in));
    }

    /** What {@code widthlaw status OUT} prints. */
    static String text(View v, String uri, Optional<Lease> lease, Optional<JsonNode> lastRun, Instant now) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT, "job %s (hash %s) at %s%n", v.job().name(), v.job().hash(), uri));
        String started = lastRun.map(r -> r.path("started").asText("")).orElse("");
        String since = "";
        if (!started.isEmpty()) {
            try {
                since = " ("
                        + Progress.clock(
                                Duration.between(Instant.parse(started), now).toSeconds()) + " ago)";
            } catch (RuntimeException e) {
                since = "";
            }
        }
        boolean live = lease.map(Lease::live).orElse(false);
        if (live) {
            b.append(String.format(
                    Locale.ROOT,
                    "run: in progress (%s; lease expires in %d s)%s%n",
                    lease.get().owner(),
                    Math.max(0, lease.get().expiresInSecs()),
                    started.isEmpty()
                            ? ""
                            : ", started " + started + since + " on "
                                    + lastRun.get().path("master").asText("?") + " with "
                                    + Plural.of(lastRun.get().path("slots").asInt(1), "slot")));
        } else if (lastRun.isPresent()) {
            JsonNode r = lastRun.get();
            String outcome = r.path("outcome").isNull()
                    ? "ended without finishing"
                    : r.path("outcome").asText();
            b.append(String.format(
                    Locale.ROOT,
                    "run: none in progress; the last (%s) started %s%s: %s%n",
                    r.path("command").asText("?"),
                    started,
                    since,
                    outcome));
        } else {
            b.append("run: none in progress\n");
        }
        b.append(String.format(
                Locale.ROOT,
                "cells: %d of %d done | %s recorded, %d %s, %.1f s of training%s%n",
                v.cellsDone(),
                v.cells().size(),
                Plural.of(v.probes(), "probe"),
                v.steps(),
                v.job().train().stepUnit(),
                v.secs(),
                left(v, live)));
        int w = Math.max(
                4, v.cells().stream().mapToInt(c -> c.cellId().length()).max().orElse(4));
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s  %-12s", "cell", "status"));
        for (int t : v.budgets()) head.append(String.format(Locale.ROOT, "  %12s", "m* T=" + t));
        head.append(String.format(Locale.ROOT, "  %6s  %8s", "probes", "time"));
        b.append(head.toString().stripTrailing()).append('\n');
        for (CellLine c : v.cells()) {
            StringBuilder l =
                    new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s  %-12s", c.cellId(), c.status()));
            for (String m : c.widths()) l.append(String.format(Locale.ROOT, "  %12s", m));
            l.append(String.format(Locale.ROOT, "  %6d  %8s", c.probes(), duration(c.secs())));
            b.append(l).append('\n');
        }
        return b.toString();
    }

    /** Seconds to a tenth under a minute, else as the progress lines give them. */
    static String duration(double secs) {
        return secs < 59.95 ? String.format(Locale.ROOT, "%.1fs", secs) : Progress.clock(secs);
    }

    private static String left(View v, boolean live) {
        if (v.cellsDone() == v.cells().size()) return " | done";
        String work = v.secsLeft().isPresent()
                ? "~" + Progress.clock(Math.min(v.secsLeft().getAsDouble(), 99 * 3600))
                : "unknown until a probe is recorded";
        if (live) return " | ETA " + work + " (about " + Plural.of(v.probesLeft(), "probe") + " to go)";
        return " | unfinished: about " + Plural.of(v.probesLeft(), "probe") + " (" + work
                + ") left; run the job again on this OUT to resume";
    }
}
