package org.widthlaw.lib.train;

import org.widthlaw.lib.Named;

/** The arithmetic of the gradient-descent steps (diagnostics are always float64). */
public enum Precision implements Named {
    FLOAT64("float64"),
    FLOAT32("float32");

    private final String id;

    Precision(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static Precision of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
