package org.widthlaw.lib.data;

import org.widthlaw.lib.Named;

/**
 * Whether the first non-blank row of a CSV file is a header ({@code data.header}): {@code auto} (a
 * header exactly when every field is text; a row mixing numbers and text is an error), {@code true}
 * (always skipped) or {@code false} (always data).
 */
public enum CsvHeader implements Named {
    AUTO("auto"),
    PRESENT("true"),
    ABSENT("false");

    private final String id;

    CsvHeader(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static CsvHeader of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
