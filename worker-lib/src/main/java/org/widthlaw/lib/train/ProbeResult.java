package org.widthlaw.lib.train;

import java.io.Serializable;

/**
 * What one trained network gives: status (success | fail | diverged), the step it stopped at, its
 * relative loss, the step size, diagnostics, timing, the BLAS backend and precision, and the
 * relative loss at steps 0, 1, 2, 4, 8, ... and the last step ({@code curveSteps}, {@code curveLoss}).
 * {@code secs} is the probe's whole time (data, initialisation, power iteration, diagnostics);
 * {@code stepSecs} the part spent in GD steps (in a batch, each step's time shared among its probes).
 * For data with a test set, {@code testLoss} is the relative loss ||f - y||^2 / ||y||^2 on it and
 * {@code testAcc} the accuracy (sign for one output, arg max for several); NaN otherwise.
 */
public record ProbeResult(String probeId, String cellId, int width, long params, String status, int steps,
                          double relLoss, double lr, double lambdaMinNtk0, double lambdaMaxNtk0,
                          double relWeightMove, double actFlipFrac, double secs, double stepSecs, String blas, String precision,
                          String host, int attempt, int[] curveSteps, double[] curveLoss, double testLoss, double testAcc)
        implements Serializable {
    public static final String SUCCESS = "success";
    public static final String FAIL = "fail";
    public static final String DIVERGED = "diverged";

    public boolean succeeded() {
        return SUCCESS.equals(status);
    }

    public ProbeResult withAttempt(int a) {
        return new ProbeResult(probeId, cellId, width, params, status, steps, relLoss, lr, lambdaMinNtk0,
                lambdaMaxNtk0, relWeightMove, actFlipFrac, secs, stepSecs, blas, precision, host, a, curveSteps, curveLoss, testLoss, testAcc);
    }
}
