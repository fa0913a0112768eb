package org.widthlaw.lib.train;

import static org.widthlaw.lib.Optionals.box;
import static org.widthlaw.lib.Optionals.unbox;

import java.io.Serial;
import java.io.Serializable;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What one trained network gives: how it ended, the step it stopped at, its relative loss, the step
 * size, diagnostics, timing, the precision, the relative loss at steps 0, 1, 2, 4, 8, ... and the
 * last step ({@code curveSteps}, {@code curveLoss}), and where it ran ({@link Provenance}).
 * {@code secs} is the probe's whole time (data, initialisation, power iteration, diagnostics);
 * {@code stepSecs} the part spent in GD steps (in a batch, each step's time shared among its
 * probes). Diagnostics that were not computed (or failed, or ran out of time) are empty; the test
 * loss and accuracy exist only for data with a test set. {@code budget} is the largest step budget
 * the probe trained towards; {@code crossing} the first step with r(t) <= tol (successes only);
 * {@code rungSteps}/{@code rungLoss} the relative loss at every budget of the ladder it reached;
 * for a probe that stopped without success, the convergence evidence: {@code rate} (-d log r/dt
 * over the last window), its {@code trend} and, when converging, the {@code extrapolatedCrossing}.
 * {@code resumedFrom} is 0, or the step at which this run continued the probe's earlier run under a
 * smaller budget ({@link Checkpoint}); the result is that of a straight run either way.
 */
public record ProbeResult(
        String probeId,
        String cellId,
        int width,
        long params,
        ProbeStatus status,
        int steps,
        double relLoss,
        double lr,
        OptionalDouble lambdaMinNtk0,
        OptionalDouble lambdaMaxNtk0,
        OptionalDouble relWeightMove,
        OptionalDouble actFlipFrac,
        double secs,
        double stepSecs,
        Precision precision,
        int[] curveSteps,
        double[] curveLoss,
        OptionalDouble testLoss,
        OptionalDouble testAcc,
        Provenance provenance,
        int budget,
        OptionalInt crossing,
        int[] rungSteps,
        double[] rungLoss,
        OptionalDouble rate,
        Optional<Trend> trend,
        OptionalDouble extrapolatedCrossing,
        int resumedFrom)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 4L;

    public boolean succeeded() {
        return status == ProbeStatus.SUCCESS;
    }

    /**
     * Whether this probe succeeds within {@code budget} steps: it does when it crossed the tolerance
     * by then; it does not when it crossed later, diverged, stopped early (stalled) or ran at least
     * that far without crossing; empty when it failed at a smaller budget (or stopped early under
     * one) and so cannot say.
     */
    public Optional<Boolean> successAt(int budget) {
        if (crossing.isPresent()) return Optional.of(crossing.getAsInt() <= budget);
        if (status == ProbeStatus.DIVERGED) return Optional.of(false);
        // Stalled for this probe's own largest budget says nothing about a larger one.
        if (status == ProbeStatus.EARLY_FAIL) return budget <= this.budget ? Optional.of(false) : Optional.empty();
        return steps >= budget ? Optional.of(false) : Optional.empty();
    }

    public ProbeResult withAttempt(int a) {
        return new ProbeResult(
                probeId,
                cellId,
                width,
                params,
                status,
                steps,
                relLoss,
                lr,
                lambdaMinNtk0,
                lambdaMaxNtk0,
                relWeightMove,
                actFlipFrac,
                secs,
                stepSecs,
                precision,
                curveSteps,
                curveLoss,
                testLoss,
                testAcc,
                provenance.withAttempt(a),
                budget,
                crossing,
                rungSteps,
                rungLoss,
                rate,
                trend,
                extrapolatedCrossing,
                resumedFrom);
    }

    /** OptionalDouble is not Serializable: a result crosses from executor to driver in this form. */
    @Serial
    private Object writeReplace() {
        return new Wire(this);
    }

    private static final class Wire implements Serializable {
        @Serial
        private static final long serialVersionUID = 4L;

        private final String probeId;
        private final String cellId;
        private final int width;
        private final long params;
        private final ProbeStatus status;
        private final int steps;
        private final double relLoss;
        private final double lr;
        private final Double lambdaMin;
        private final Double lambdaMax;
        private final Double relMove;
        private final Double flip;
        private final double secs;
        private final double stepSecs;
        private final Precision precision;
        private final int[] curveSteps;
        private final double[] curveLoss;
        private final Double testLoss;
        private final Double testAcc;
        private final Provenance provenance;
        private final int budget;
        private final Integer crossing;
        private final int[] rungSteps;
        private final double[] rungLoss;
        private final Double rate;
        private final Trend trend;
        private final Double extrapolatedCrossing;
        private final int resumedFrom;

        Wire(ProbeResult r) {
            probeId = r.probeId;
            cellId = r.cellId;
            width = r.width;
            params = r.params;
            status = r.status;
            steps = r.steps;
            relLoss = r.relLoss;
            lr = r.lr;
            lambdaMin = box(r.lambdaMinNtk0);
            lambdaMax = box(r.lambdaMaxNtk0);
            relMove = box(r.relWeightMove);
            flip = box(r.actFlipFrac);
            secs = r.secs;
            stepSecs = r.stepSecs;
            precision = r.precision;
            curveSteps = r.curveSteps;
            curveLoss = r.curveLoss;
            testLoss = box(r.testLoss);
            testAcc = box(r.testAcc);
            provenance = r.provenance;
            budget = r.budget;
            crossing = r.crossing.isPresent() ? r.crossing.getAsInt() : null;
            rungSteps = r.rungSteps;
            rungLoss = r.rungLoss;
            rate = box(r.rate);
            trend = r.trend.orElse(null);
            extrapolatedCrossing = box(r.extrapolatedCrossing);
            resumedFrom = r.resumedFrom;
        }

        @Serial
        private Object readResolve() {
            return new ProbeResult(
                    probeId,
                    cellId,
                    width,
                    params,
                    status,
                    steps,
                    relLoss,
                    lr,
                    unbox(lambdaMin),
                    unbox(lambdaMax),
                    unbox(relMove),
                    unbox(flip),
                    secs,
                    stepSecs,
                    precision,
                    curveSteps,
                    curveLoss,
                    unbox(testLoss),
                    unbox(testAcc),
                    provenance,
                    budget,
                    crossing == null ? OptionalInt.empty() : OptionalInt.of(crossing),
                    rungSteps,
                    rungLoss,
                    unbox(rate),
                    Optional.ofNullable(trend),
                    unbox(extrapolatedCrossing),
                    resumedFrom);
        }
    }
}
