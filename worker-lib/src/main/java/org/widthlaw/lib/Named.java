package org.widthlaw.lib;

import java.util.Arrays;
import java.util.List;

/**
 * A category with a wire name: the word that job files, Parquet rows, CSV and JSON use for it
 * ({@code two-layer}, {@code float32}, {@code non-monotone}, ...). Inside the code it is an enum.
 */
public interface Named {
    /** The wire name. */
    String id();

    /** The wire names of {@code values}, in declaration order. */
    static List<String> ids(Named[] values) {
        return Arrays.stream(values).map(Named::id).toList();
    }

    /** The value of {@code values} named {@code id}; otherwise an error naming the field and what is allowed. */
    static <E extends Named> E parse(E[] values, String id, String field) {
        Checks.notNull(id, field);
        for (E v : values) if (v.id().equals(id)) return v;
        throw Checks.invalid(field, "must be one of " + ids(values) + ", got " + Checks.quote(id));
    }
}
