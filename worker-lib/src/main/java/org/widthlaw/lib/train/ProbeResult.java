package org.widthlaw.lib.train;

import java.io.Serializable;

/**
 * What one trained network gives: status (success | fail | diverged), the step it stopped at, its
 * relative loss, the step size, diagnostics, timing, the BLAS backend and precision, and the
 * relative loss at steps 0, 1, 2, 4, 8, ... and the last step ({@code curveSteps}, {@code curveLoss}).
 */
public record ProbeResult(String probeId, String cellId, int width, long params, String status, int steps,
                          double relLoss, double lr, double lambdaMinNtk0, double lambdaMaxNtk0,
                          double relWeightMove, double actFlipFrac, double secs, String blas, String precision,
                          String host, int attempt, int[] curveSteps, double[] curveLoss) implements Serializable {
    public static final String SUCCESS = "success";
    public static final String FAIL = "fail";
    public static final String DIVERGED = "diverged";
    public static final String EARLY_FAIL = "early-fail";

    public boolean succeeded() {
        return SUCCESS.equals(status);
    }

    public ProbeResult withAttempt(int a) {
        return new ProbeResult(probeId, cellId, width, params, status, steps, relLoss, lr, lambdaMinNtk0,
                lambdaMaxNtk0, relWeightMove, actFlipFrac, secs, blas, precision, host, a, curveSteps, curveLoss);
    }
}
