package org.widthlaw.lib.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Where a probe that stopped without success (at its last budget, or early) stood at its last
 * step {@code step}, so that a larger budget continues it instead of training it again from step 0
 * (docs/METHOD.md section 4, "Growing a ladder"). Continued, it gives the bits of a straight run to
 * the larger budget: the loop resumes by evaluating step {@code step} again from the same
 * parameters, with the same step size, marks, rung records and loss window, and the last two
 * early-stop checks are re-classified for the new budget.
 *
 * @param probeId the probe it belongs to
 * @param budget the largest budget it was trained towards
 * @param step the step it stopped at: {@code theta} are the parameters after {@code step} GD steps
 * @param theta the trained parameters (float32 runs: their exact float values)
 * @param lr the step size
 * @param lambdaMax lambda_max of H(0)
 * @param lambdaMin lambda_min of H(0), NaN when not computed
 * @param stepSecs seconds spent in GD steps so far
 * @param otherSecs the rest of its time so far (set-up, diagnostics)
 * @param curveSteps the loss curve's steps before {@code step}'s final point
 * @param curveLoss the loss curve's values
 * @param rungSteps the rungs reached
 * @param rungLoss r at those rungs
 * @param windowRecent log r of the last steps up to {@code step} ({@link LossWindow#recent})
 * @param nextCheck the next early-stop check's step
 * @param checks the last (at most two) early-stop checks, oldest first
 */
public record Checkpoint(
        String probeId,
        int budget,
        int step,
        double[] theta,
        double lr,
        double lambdaMax,
        double lambdaMin,
        double stepSecs,
        double otherSecs,
        int[] curveSteps,
        double[] curveLoss,
        int[] rungSteps,
        double[] rungLoss,
        double[] windowRecent,
        int nextCheck,
        LossWindow.Check[] checks)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The checkpoint as compressed bytes (Java serialisation, gzip), for a file in OUT. */
    public byte[] toBytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(new GZIPOutputStream(b))) {
            o.writeObject(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** The checkpoint written by {@link #toBytes}. */
    public static Checkpoint fromBytes(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new GZIPInputStream(new ByteArrayInputStream(bytes)))) {
            // Only a checkpoint's own types: a file in OUT is data, never code to run.
            in.setObjectInputFilter(
                    java.io.ObjectInputFilter.Config.createFilter(
                            "maxdepth=4;org.widthlaw.lib.train.Checkpoint;org.widthlaw.lib.train.LossWindow$Check;java.lang.String;!*"));
            return (Checkpoint) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
