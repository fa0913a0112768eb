package org.widthlaw.driver;

import java.util.List;
import java.util.Locale;
import org.widthlaw.lib.Named;
import org.widthlaw.lib.Plural;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.search.SearchSpec;
import org.widthlaw.lib.search.SearchState;
import org.widthlaw.lib.search.WidthSearch;

/**
 * What {@code widthlaw plan} prints: the cells, how many probes the search will need and what
 * they cost. Estimates assume a threshold at twice the degrees-of-freedom width (the smallest m
 * with P(m) >= n k), and an upper bound assumes the search brackets all the way to max_width; both
 * count every probe at the full step budget; the bound puts the threshold at max_width.
 */
public final class Planner {
    private Planner() {}

    /** Probes and flops of one cell's search against a threshold oracle at width {@code at}. */
    record Estimate(int probes, double flops) {}

    static Estimate estimate(Job job, Cell c, int threshold) {
        SearchState s = WidthSearch.start(job.search());
        int probes = 0;
        double flops = 0;
        while (!s.done()) {
            int w = s.pending().get(0);
            probes++;
            flops += c.cost(w, job.train().steps()) * job.train().passesPerStep();
            s = WidthSearch.next(s, w, w >= threshold);
        }
        return new Estimate(probes, flops);
    }

    static int dofWidth(Cell c, SearchSpec search) {
        long need = (long) c.n() * c.data().outputs();
        int m = 1;
        while (m < search.maxWidth()
                && c.model().params(m, c.data().d(), c.data().outputs()) < need) m++;
        return m;
    }

    /** The losses of a job other than squared alone, e.g. {@code ; loss=[squared, cross-entropy], margin=0.0}. */
    private static String losses(Job job) {
        List<Loss> losses = job.grid().losses();
        if (losses.equals(List.of(Loss.SQUARED))) return "";
        String s = "; loss=" + (losses.size() == 1 ? losses.get(0).id() : Named.ids(losses.toArray(Named[]::new)));
        if (losses.stream().anyMatch(Loss::classification))
            s += ", margin=" + job.grid().margin();
        if (losses.size() > 1 && job.grid().earlyStop()) s += " (early stop: squared only)";
        return s;
    }

    public static String describe(Job job) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "job %s (hash %s) -> %s%n", job.name(), job.hash(), job.output()));
        b.append(String.format(
                Locale.ROOT,
                "data %s d=%d labels=%s; model %s trained=%s activation=%s; widths [%d, %d]; T=%s, tol=%g%s%n",
                job.data().kind().id(),
                job.data().d(),
                job.data().labels().id(),
                job.model().arch().id(),
                job.model().trained().id(),
                job.model().activation().id(),
                job.search().minWidth(),
                job.search().maxWidth(),
                job.train().budgets()
                        + (job.train().stochastic()
                                ? " SGD epochs (minibatches of " + job.train().batch() + ")"
                                : ""),
                job.train().tol(),
                losses(job)));
        b.append(String.format(
                Locale.ROOT, "%-48s %8s %8s %10s %10s%n", "cell", "dof m", "probes", "GFLOP est", "GFLOP max"));
        int probes = 0, probesMax = 0;
        double flops = 0, flopsMax = 0;
        for (Cell c : job.cells()) {
            int dof = dofWidth(c, job.search());
            Estimate e = estimate(job, c, Math.min(job.search().maxWidth(), 2 * dof));
            Estimate worst = estimate(job, c, job.search().maxWidth());
            probes += e.probes();
            probesMax += worst.probes();
            flops += e.flops();
            flopsMax += worst.flops();
            b.append(String.format(
                    Locale.ROOT,
                    "%-48s %8d %8d %10.1f %10.1f%n",
                    c.cellId(),
                    dof,
                    e.probes(),
                    e.flops() / 1e9,
                    worst.flops() / 1e9));
        }
        b.append(String.format(
                Locale.ROOT,
                "%s; about %s (at most %d); about %.1f GFLOP (at most %.1f)%n",
                Plural.of(job.cells().size(), "cell"),
                Plural.of(probes, "probe"),
                probesMax,
                flops / 1e9,
                flopsMax / 1e9));
        return b.toString();
    }
}
