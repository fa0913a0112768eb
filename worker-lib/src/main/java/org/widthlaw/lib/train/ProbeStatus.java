package org.widthlaw.lib.train;

import org.widthlaw.lib.Named;

/** How one training ended. */
public enum ProbeStatus implements Named {
    SUCCESS("success"),
    FAIL("fail"),
    DIVERGED("diverged"),
    EARLY_FAIL("early-fail");

    private final String id;

    ProbeStatus(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static ProbeStatus of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
