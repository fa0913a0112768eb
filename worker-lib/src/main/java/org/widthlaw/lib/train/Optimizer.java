package org.widthlaw.lib.train;

import org.widthlaw.lib.Named;

/**
 * How the steps use the data (docs/METHOD.md section 4): {@code gd}, full-batch gradient descent (a
 * step is one update on all n samples), or {@code sgd}, minibatch SGD (a step is one epoch: the n
 * samples in a seeded order, in minibatches of B, one update per minibatch).
 */
public enum Optimizer implements Named {
    GD("gd"),
    SGD("sgd");

    private final String id;

    Optimizer(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static Optimizer of(String id, String field) {
        return Named.parse(values(), id, field);
    }
}
