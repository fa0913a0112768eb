package org.widthlaw.lib.search;

import org.widthlaw.lib.Named;

/** How a cell's width search ended. */
public enum CellStatus implements Named {
    FOUND("found"),
    UNREACHED("unreached"),
    NON_MONOTONE("non-monotone");

    private final String id;

    CellStatus(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static CellStatus of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
