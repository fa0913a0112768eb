package org.widthlaw.lib.model;

import org.widthlaw.lib.Named;

/** A network family (docs/METHOD.md section 3). */
public enum Arch implements Named {
    TWO_LAYER("two-layer"),
    FC("fc"),
    RESNET("resnet"),
    /** 1-D circular convolutions over the d input positions; widths are channel counts. */
    CNN("cnn");

    private final String id;

    Arch(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static Arch of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
