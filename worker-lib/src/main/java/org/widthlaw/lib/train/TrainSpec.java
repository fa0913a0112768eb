package org.widthlaw.lib.train;

import java.io.Serializable;
import java.util.List;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.model.Loss;

/**
 * The training recipe of docs/METHOD.md section 4: full-batch GD steps up to the largest of the
 * step {@code budgets} (one budget, or a ladder T_1 < T_2 < ... < T_K), success when the relative
 * loss reaches {@code tol}; step size {@code lr} (NaN means {@code auto}: c_eta / lambda_max(H(0)));
 * the precision of the GD steps: float64 or float32 (then tol >= 1e-6); and whether a probe whose
 * loss has stalled may stop before the last budget ({@code earlyStop}). The {@code loss} is squared (the
 * default) or a classification loss, which succeeds at the first step with 100% training accuracy and
 * every margin >= {@code margin} (> 0 when the margin is 0); tol then only sets the target of the
 * convergence evidence, and early stop is not allowed (a stalled loss does not rule out a later success).
 * The {@code optimizer} is full-batch GD ({@code batch} 0) or minibatch SGD with minibatches of
 * {@code batch} samples; with SGD a step is an epoch: budgets, crossing steps, the loss curve and the
 * convergence evidence count epochs, and r(t) is the full-batch loss after every epoch.
 */
public record TrainSpec(
        List<Integer> budgets,
        double tol,
        double lr,
        double cEta,
        Precision precision,
        boolean earlyStop,
        Loss loss,
        double margin,
        Optimizer optimizer,
        int batch)
        implements Serializable {
    public static final int MAX_STEPS = 100_000_000;
    /** The smallest tolerance float32 arithmetic can meet reliably. */
    public static final double FLOAT32_MIN_TOL = 1e-6;
    /** Relative loss above which a run counts as diverged. */
    public static final double DIVERGED = 1e6;
    /** At most this many rungs on a budget ladder. */
    public static final int MAX_BUDGETS = 16;
    /** The largest SGD minibatch. */
    public static final int MAX_BATCH = 10_000_000;

    public TrainSpec {
        Checks.notNull(budgets, "train.steps");
        budgets = List.copyOf(budgets);
        if (budgets.isEmpty() || budgets.size() > MAX_BUDGETS) {
            throw Checks.invalid(
                    "train.steps", "must be one budget or a list of 1 to " + MAX_BUDGETS + ", got " + budgets);
        }
        for (int i = 0; i < budgets.size(); i++) {
            Checks.inRange(budgets.get(i), 1, MAX_STEPS, "train.steps");
            if (i > 0 && budgets.get(i) <= budgets.get(i - 1)) {
                throw Checks.invalid("train.steps", "a budget ladder must increase strictly, got " + budgets);
            }
        }
        Checks.openUnit(tol, "train.tol");
        if (!Double.isNaN(lr)) Checks.positive(lr, "train.lr");
        Checks.positive(cEta, "train.c_eta");
        Checks.notNull(precision, "train.precision");
        if (precision == Precision.FLOAT32 && tol < FLOAT32_MIN_TOL) {
            throw Checks.invalid("train.tol", "must be >= 1e-6 with precision float32, got " + tol);
        }
        Checks.notNull(loss, "train.loss");
        if (!(margin >= 0) || !Double.isFinite(margin)) {
            throw Checks.invalid("train.margin", "must be a finite number >= 0, got " + margin);
        }
        if (!loss.classification() && margin != 0) {
            throw Checks.invalid("train.margin", "is only for losses cross-entropy and hinge, got loss " + loss.id());
        }
        if (loss.classification() && earlyStop) {
            throw Checks.invalid(
                    "train.early_stop",
                    "must be false with loss " + loss.id() + " (success is judged by accuracy, not by the loss)");
        }
        Checks.notNull(optimizer, "train.optimizer");
        if (optimizer == Optimizer.SGD) Checks.inRange(batch, 1, MAX_BATCH, "train.batch");
        else if (batch != 0) throw Checks.invalid("train.batch", "is only for optimizer sgd, got " + batch);
    }

    /** The same recipe with minibatch SGD, minibatches of {@code batch} samples. */
    public TrainSpec sgd(int batch) {
        return new TrainSpec(budgets, tol, lr, cEta, precision, earlyStop, loss, margin, Optimizer.SGD, batch);
    }

    /** True for minibatch SGD (a step is an epoch). */
    public boolean stochastic() {
        return optimizer == Optimizer.SGD;
    }

    /** What a step is, for tables and axes: "GD steps" or "SGD epochs". */
    public String stepUnit() {
        return stochastic() ? "SGD epochs" : "GD steps";
    }

    /**
     * Passes over the n samples per step, for cost estimates: 1 for GD; 2 for SGD (an epoch of
     * minibatch steps, then the full-batch loss that judges it).
     */
    public int passesPerStep() {
        return stochastic() ? 2 : 1;
    }

    /** Full-batch gradient descent. */
    public TrainSpec(
            List<Integer> budgets,
            double tol,
            double lr,
            double cEta,
            Precision precision,
            boolean earlyStop,
            Loss loss,
            double margin) {
        this(budgets, tol, lr, cEta, precision, earlyStop, loss, margin, Optimizer.GD, 0);
    }

    /** Squared loss. */
    public TrainSpec(
            List<Integer> budgets, double tol, double lr, double cEta, Precision precision, boolean earlyStop) {
        this(budgets, tol, lr, cEta, precision, earlyStop, Loss.SQUARED, 0);
    }

    /** One budget, no early stop. */
    public TrainSpec(int steps, double tol, double lr, double cEta, Precision precision) {
        this(List.of(steps), tol, lr, cEta, precision, false);
    }

    /** The largest budget: how far a probe trains. */
    public int steps() {
        return budgets.get(budgets.size() - 1);
    }

    public boolean autoLr() {
        return Double.isNaN(lr);
    }
}
