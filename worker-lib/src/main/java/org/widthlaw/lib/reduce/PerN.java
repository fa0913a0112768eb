package org.widthlaw.lib.reduce;

import java.util.Optional;

/** One n of a group: how many cells, how many unreached, and the spread of m* and P* over the measured seeds. */
public record PerN(int n, int cells, int unreached, Optional<Spread> minWidth, Optional<Spread> minParams) {
    /** Median, minimum and maximum of a set of values. */
    public record Spread(double median, double min, double max) {}
}
