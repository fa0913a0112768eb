package org.widthlaw.driver;

import java.util.List;
import java.util.Locale;
import org.widthlaw.lib.Plural;
import org.widthlaw.lib.fit.ScalingFit;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.reduce.GroupFit;
import org.widthlaw.lib.reduce.GroupKey;

/** The fitted law per group as printed at the end of a run and by {@code fit}. */
final class Summary {
    private Summary() {}

    /** A group at one budget in words, e.g. {@code two-layer L=2 d=10 sphere/random trained=hidden relu, T=20000}. */
    static String title(GroupFit g) {
        GroupKey k = g.key();
        return String.format(
                Locale.ROOT,
                "%s L=%d d=%d %s/%s trained=%s %s%s, T=%d",
                k.arch().id(),
                k.depth(),
                k.d(),
                k.data().id(),
                k.labels().id(),
                k.trained().id(),
                k.activation().id(),
                loss(k.loss()),
                g.budget());
    }

    /** A group's loss in its title: nothing for squared (the default, as titles were before), else " loss=ID". */
    static String loss(Loss loss) {
        return loss.classification() ? " loss=" + loss.id() : "";
    }

    static String of(List<GroupFit> fits) {
        StringBuilder b = new StringBuilder();
        for (GroupFit g : fits) {
            ScalingFit f = g.fit();
            b.append(String.format(
                    Locale.ROOT,
                    "%s: %s%s%n",
                    title(g),
                    Plural.of(g.cells().size(), "cell"),
                    g.budgetBound() ? " [budget-bound: the law still moves between the two largest budgets]" : ""));
            for (CellResult c : g.cells()) {
                String m = c.minWidth().isPresent()
                        ? Integer.toString(c.minWidth().getAsInt())
                        : ">"
                                + (c.maxFailedWidth().isPresent()
                                        ? Integer.toString(c.maxFailedWidth().getAsInt())
                                        : "null");
                String p =
                        c.minParams().isPresent() ? Long.toString(c.minParams().getAsLong()) : "-";
                b.append(String.format(
                        Locale.ROOT,
                        "  n=%-6d seed=%-3d m*=%-6s P*=%-8s %s%n",
                        c.n(),
                        c.seed(),
                        m,
                        p,
                        c.status().id()));
            }
            g.asymptoticLaw()
                    .filter(a -> Double.isFinite(a.power().alpha()))
                    .ifPresent(a -> b.append(String.format(
                            Locale.ROOT,
                            "  m*_inf (estimates): P = %.3g n^%.3f  (alpha 95%% CI [%.3f, %.3f]) -> %s%n",
                            a.power().c(),
                            a.power().alpha(),
                            a.power().alphaLo(),
                            a.power().alphaHi(),
                            a.verdict())));
            if (Double.isNaN(f.power().alpha())) {
                b.append("  no law: fewer than two values of n with a measured m*\n");
                continue;
            }
            b.append(String.format(
                    Locale.ROOT,
                    "  linear: P* = %.3f n %+.1f  (a 95%% CI [%.3f, %.3f], R^2 %.3f)%n",
                    f.linear().a(),
                    f.linear().b(),
                    f.linear().aLo(),
                    f.linear().aHi(),
                    f.linear().r2()));
            b.append(String.format(
                    Locale.ROOT,
                    "  power:  P* = %.3g n^%.3f  (alpha 95%% CI [%.3f, %.3f])%n",
                    f.power().c(),
                    f.power().alpha(),
                    f.power().alphaLo(),
                    f.power().alphaHi()));
            g.censored()
                    .ifPresent(c -> b.append(String.format(
                            Locale.ROOT,
                            "  censored (%d unreached of %d, AFT): alpha %.3f (95%% CI [%.3f, %.3f])%n",
                            c.censored(),
                            c.points(),
                            c.alpha(),
                            c.alphaLo(),
                            c.alphaHi())));
            if (Double.isFinite(f.quadratic().a0())) {
                b.append(String.format(
                        Locale.ROOT,
                        "  quadratic: P* = %.3g %+.4g n %+.4g n^2%n",
                        f.quadratic().a0(),
                        f.quadratic().a1(),
                        f.quadratic().a2()));
            }
            b.append(String.format(
                    Locale.ROOT,
                    "  AIC linear %.1f, power %.1f, quadratic %s -> verdict: %s%n",
                    f.aic().linear(),
                    f.aic().power(),
                    Double.isNaN(f.aic().quadratic())
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.1f", f.aic().quadratic()),
                    f.verdict()));
        }
        return b.toString();
    }
}
