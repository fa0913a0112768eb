package org.widthlaw.lib.model;

import org.widthlaw.lib.Named;

/** Which layers gradient descent trains: every layer but the output, only the output, or all. */
public enum Trained implements Named {
    HIDDEN("hidden"),
    OUTPUT("output"),
    ALL("all");

    private final String id;

    Trained(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static Trained of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
