package org.widthlaw.lib;

import java.util.OptionalDouble;

/**
 * The one convention for an absent number: empty in records, null where a value must be
 * serialised (OptionalDouble is not Serializable) or stored, and never NaN as a stand-in.
 */
public final class Optionals {
    private Optionals() {}

    /** Empty for a non-finite value: how a diagnostic that could not be computed is recorded. */
    public static OptionalDouble finite(double v) {
        return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    /** The value, or null when absent. */
    public static Double box(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : null;
    }

    /** Empty for null. */
    public static OptionalDouble unbox(Double v) {
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
