package org.widthlaw.lib.train;

import java.io.Serializable;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.model.ModelSpec;

/**
 * Everything needed to train one network, self-contained: the one value that crosses from the
 * driver to an executor. Its result depends on nothing else.
 */
public record ProbeSpec(
        String probeId, String cellId, DataSpec data, ModelSpec model, int n, long seed, int width, TrainSpec train)
        implements Serializable {
    public ProbeSpec {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
    }

    public long params() {
        return model.params(width, data.d(), data.outputs());
    }
}
