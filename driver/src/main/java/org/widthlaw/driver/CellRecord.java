package org.widthlaw.driver;

import java.util.Optional;
import java.util.OptionalDouble;
import org.widthlaw.lib.reduce.CellResult;

/**
 * One row of OUT/cells: a cell's result at one budget, with the job's name and tolerance (absent
 * in rows written before those columns existed).
 */
public record CellRecord(CellResult cell, Optional<String> job, OptionalDouble tol) {
    /** A row of {@code j}. */
    public static CellRecord of(CellResult cell, Job j) {
        return new CellRecord(
                cell, Optional.of(j.name()), OptionalDouble.of(j.train().tol()));
    }
}
