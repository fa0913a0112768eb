package org.widthlaw.lib.train;

import org.widthlaw.lib.Named;

/**
 * How the loss of a probe that stopped without success was moving (docs/METHOD.md section 4):
 * evidence about the dynamics, never a success.
 */
public enum Trend implements Named {
    /** log r falls at a steady rate: the two last windows' rates agree within 25%. */
    CONVERGING("converging"),
    /** Even at ten times its fitted rate, r would not reach the tolerance by the last budget. */
    STALLED("stalled"),
    /** Neither. */
    ERRATIC("erratic");

    private final String id;

    Trend(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    public static Trend of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
