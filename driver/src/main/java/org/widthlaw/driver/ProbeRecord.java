package org.widthlaw.driver;

import org.widthlaw.lib.reduce.CellKey;
import org.widthlaw.lib.train.ProbeResult;

/** One row of OUT/probes: which cell, what training gave, and the job hash it belongs to. */
public record ProbeRecord(CellKey cell, ProbeResult result, String jobHash) {}
