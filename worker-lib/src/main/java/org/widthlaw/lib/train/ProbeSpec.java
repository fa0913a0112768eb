package org.widthlaw.lib.train;

import java.io.Serializable;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.model.ModelSpec;

/**
 * Everything needed to train one network, self-contained: the one value that crosses from the
 * driver to an executor. Its result depends on nothing else. {@code resume}, when not null, is
 * where an earlier run of this probe under a smaller budget stopped: training continues from it
 * (and gives the bits of a straight run).
 */
public record ProbeSpec(
        String probeId,
        String cellId,
        DataSpec data,
        ModelSpec model,
        int n,
        long seed,
        int width,
        TrainSpec train,
        Checkpoint resume)
        implements Serializable {
    public ProbeSpec {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
        if (resume != null && (!resume.probeId().equals(probeId) || resume.step() > train.steps())) {
            throw new IllegalArgumentException("checkpoint of " + resume.probeId() + " at step " + resume.step()
                    + " does not continue probe " + probeId + " with budget " + train.steps());
        }
    }

    /** A probe trained from step 0. */
    public ProbeSpec(
            String probeId,
            String cellId,
            DataSpec data,
            ModelSpec model,
            int n,
            long seed,
            int width,
            TrainSpec train) {
        this(probeId, cellId, data, model, n, seed, width, train, null);
    }

    /** This probe, continued from {@code from}. */
    public ProbeSpec resumedFrom(Checkpoint from) {
        return new ProbeSpec(probeId, cellId, data, model, n, seed, width, train, from);
    }

    /** The step training starts at: 0, or the checkpoint's. */
    public int startStep() {
        return resume == null ? 0 : resume.step();
    }

    public long params() {
        return model.params(width, data.d(), data.outputs());
    }
}
