package org.widthlaw.lib.data;

import java.io.Serializable;
import java.util.Locale;
import java.util.Set;
import org.widthlaw.lib.Checks;

/**
 * Which data a cell trains on (PROTOCOL.md section 2). {@code kind} is {@code sphere};
 * {@code labels} is {@code random} or {@code teacher}; {@code outputs} is the number of target
 * columns k.
 */
public record DataSpec(String kind, int d, String labels, int outputs) implements Serializable {
    public static final Set<String> KINDS = Set.of("sphere");
    public static final Set<String> SPHERE_LABELS = Set.of("random", "teacher");
    public static final int MAX_D = 100_000;

    public DataSpec {
        Checks.notNull(kind, "data.kind");
        if (!KINDS.contains(kind)) throw Checks.invalid("data.kind", "must be one of " + sorted(KINDS) + ", got '" + kind + "'");
        Checks.inRange(d, 1, MAX_D, "data.d");
        Checks.notNull(labels, "data.labels");
        if (!SPHERE_LABELS.contains(labels)) {
            throw Checks.invalid("data.labels", "for kind " + kind + " must be one of " + sorted(SPHERE_LABELS) + ", got '" + labels + "'");
        }
        Checks.inRange(outputs, 1, 1000, "data.outputs");
    }

    /** Short name used in cell ids and reports, e.g. {@code sphere-random}. */
    public String tag() {
        return kind + "-" + labels;
    }

    static String sorted(Set<String> s) {
        return s.stream().sorted().toList().toString().toLowerCase(Locale.ROOT);
    }
}
