package org.widthlaw.lib.reduce;

import java.util.List;
import java.util.Optional;
import org.widthlaw.lib.fit.CensoredLaw;
import org.widthlaw.lib.fit.ScalingFit;

/**
 * One group's law at one step budget: its cells (sorted by n, then seed), the fit, the per-n
 * summary and the theory table; {@code budgetBound} when the group's law still moves between its
 * two largest budgets (docs/METHOD.md section 6): then it describes the budget, not the width;
 * {@code asymptoticLaw}, the same at every budget, is P(m*_inf) against n: a law of estimates.
 */
public record GroupFit(
        GroupKey key,
        int budget,
        List<CellResult> cells,
        ScalingFit fit,
        List<PerN> perN,
        TheoryTable theory,
        boolean budgetBound,
        Optional<ScalingFit> asymptoticLaw,
        Optional<CensoredLaw> censored) {
    public GroupFit {
        cells = List.copyOf(cells);
        perN = List.copyOf(perN);
    }

    GroupFit with(boolean bound, Optional<ScalingFit> law) {
        return new GroupFit(key, budget, cells, fit, perN, theory, bound, law, censored);
    }
}
