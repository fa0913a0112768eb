package org.widthlaw.driver;

import java.util.Optional;
import java.util.OptionalDouble;
import org.widthlaw.lib.reduce.CellKey;
import org.widthlaw.lib.train.ProbeResult;

/**
 * One row of OUT/probes: which cell, what training gave, the job hash it belongs to, and the job's
 * name and tolerance (absent in rows written before those columns existed).
 */
public record ProbeRecord(CellKey cell, ProbeResult result, String jobHash, Optional<String> job, OptionalDouble tol) {
    /** A row trained now for {@code j}. */
    public static ProbeRecord of(CellKey cell, ProbeResult result, Job j) {
        return new ProbeRecord(
                cell,
                result,
                j.hash(),
                Optional.of(j.name()),
                OptionalDouble.of(j.train().tol()));
    }

    /** This row with the name and tolerance of {@code j} where it lacks them (its recipe is j's: same hash). */
    public ProbeRecord filledFrom(Job j) {
        return new ProbeRecord(
                cell,
                result,
                jobHash,
                job.isPresent() ? job : Optional.of(j.name()),
                tol.isPresent() ? tol : OptionalDouble.of(j.train().tol()));
    }
}
