package org.widthlaw.lib.data;

import org.widthlaw.lib.Named;

/** Where a cell's samples come from. */
public enum DataKind implements Named {
    SPHERE("sphere"),
    FASHION_MNIST("fashion-mnist"),
    CSV("csv");

    private final String id;

    DataKind(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static DataKind of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
