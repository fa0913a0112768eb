package org.widthlaw.lib.data;

import org.widthlaw.lib.Named;

/** How targets are made: random, teacher or teacher-class (sphere), natural or shuffled (fashion-mnist), given (csv). */
public enum Labels implements Named {
    RANDOM("random"),
    TEACHER("teacher"),
    /** The classes of the teacher of {@code teacher}: +-1 for one output, one-hot for k (for classification losses). */
    TEACHER_CLASS("teacher-class"),
    NATURAL("natural"),
    SHUFFLED("shuffled"),
    GIVEN("given");

    private final String id;

    Labels(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static Labels of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
