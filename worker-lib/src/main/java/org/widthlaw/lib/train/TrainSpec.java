package org.widthlaw.lib.train;

import java.io.Serializable;
import org.widthlaw.lib.Checks;

/**
 * The training recipe of docs/METHOD.md section 4: at most {@code steps} full-batch GD steps, success
 * when the relative loss reaches {@code tol}; step size {@code lr} (NaN means {@code auto}:
 * c_eta / lambda_max(H(0))), and the precision of the GD steps: float64 or float32 (then tol >= 1e-6).
 */
public record TrainSpec(int steps, double tol, double lr, double cEta, Precision precision) implements Serializable {
    public static final int MAX_STEPS = 100_000_000;
    /** The smallest tolerance float32 arithmetic can meet reliably. */
    public static final double FLOAT32_MIN_TOL = 1e-6;
    /** Relative loss above which a run counts as diverged. */
    public static final double DIVERGED = 1e6;

    public TrainSpec {
        Checks.inRange(steps, 1, MAX_STEPS, "train.steps");
        Checks.openUnit(tol, "train.tol");
        if (!Double.isNaN(lr)) Checks.positive(lr, "train.lr");
        Checks.positive(cEta, "train.c_eta");
        Checks.notNull(precision, "train.precision");
        if (precision == Precision.FLOAT32 && tol < FLOAT32_MIN_TOL) {
            throw Checks.invalid("train.tol", "must be >= 1e-6 with precision float32, got " + tol);
        }
    }

    public boolean autoLr() {
        return Double.isNaN(lr);
    }
}
