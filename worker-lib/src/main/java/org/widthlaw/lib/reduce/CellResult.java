package org.widthlaw.lib.reduce;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.widthlaw.lib.search.CellStatus;

/**
 * What one cell's width search found within one step budget: m* (empty when no width succeeded),
 * the largest failing width below it, P* = P(m*), the status, how many probes it used and their
 * training time, the data's statistics for the theory, and the cell's asymptotic width estimate
 * m*_inf (the same at every budget; an estimate, never a measured m*).
 */
public record CellResult(
        CellKey cell,
        int budget,
        OptionalInt minWidth,
        OptionalInt maxFailedWidth,
        OptionalLong minParams,
        CellStatus status,
        int probes,
        double secs,
        CellStats stats,
        Optional<AsymptoticWidth.Estimate> asymptotic) {
    public String cellId() {
        return cell.cellId();
    }

    public GroupKey group() {
        return cell.group();
    }

    public int n() {
        return cell.n();
    }

    public long seed() {
        return cell.seed();
    }

    public CellResult {
        if (minWidth.isPresent() != minParams.isPresent()) {
            throw new IllegalArgumentException("m* and P* are given together, got " + minWidth + " and " + minParams);
        }
    }

    /** The same result under another budget (rows written before the budget column carry none). */
    public CellResult atBudget(int otherBudget) {
        return new CellResult(
                cell, otherBudget, minWidth, maxFailedWidth, minParams, status, probes, secs, stats, asymptotic);
    }

    /** The same result with another asymptotic-width estimate. */
    public CellResult withAsymptotic(Optional<AsymptoticWidth.Estimate> estimate) {
        return new CellResult(cell, budget, minWidth, maxFailedWidth, minParams, status, probes, secs, stats, estimate);
    }
}
