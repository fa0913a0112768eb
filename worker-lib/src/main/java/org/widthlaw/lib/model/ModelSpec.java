package org.widthlaw.lib.model;

import java.io.Serializable;
import java.util.List;
import org.widthlaw.lib.Checks;

/**
 * A network family of PROTOCOL.md section 3: {@code arch} (two-layer | fc | resnet), depth L
 * (number of weight layers), which layers are {@code trained} (hidden | output | all), the
 * activation, the layer scale c_sigma (NaN: the protocol's default) and the residual scale c_res.
 */
public record ModelSpec(String arch, int depth, String trained, String activation, double cSigma, double cRes)
        implements Serializable {
    public static final List<String> ARCHS = List.of("two-layer", "fc", "resnet");
    public static final List<String> TRAINED = List.of("hidden", "output", "all");
    public static final List<String> ACTIVATIONS = List.of("relu", "softplus");
    public static final int MAX_DEPTH = 64;

    public ModelSpec {
        Checks.notNull(arch, "model.arch");
        if (!ARCHS.contains(arch)) throw Checks.invalid("model.arch", "must be one of " + ARCHS + ", got '" + arch + "'");
        switch (arch) {
            case "two-layer" -> {
                if (depth != 2) throw Checks.invalid("grid.depth", "two-layer has depth 2 only, got " + depth);
            }
            case "fc" -> Checks.inRange(depth, 2, MAX_DEPTH, "grid.depth");
            default -> Checks.inRange(depth, 3, MAX_DEPTH, "grid.depth");
        }
        Checks.notNull(trained, "model.trained");
        if (!TRAINED.contains(trained)) throw Checks.invalid("model.trained", "must be one of " + TRAINED + ", got '" + trained + "'");
        Checks.notNull(activation, "model.activation");
        if (!ACTIVATIONS.contains(activation)) {
            throw Checks.invalid("model.activation", "must be one of " + ACTIVATIONS + ", got '" + activation + "'");
        }
        if (!Double.isNaN(cSigma)) Checks.positive(cSigma, "model.c_sigma");
        Checks.openUnit(cRes, "model.c_res");
    }

    public static ModelSpec twoLayer() {
        return new ModelSpec("two-layer", 2, "hidden", "relu", Double.NaN, 0.5);
    }

    public Activation sigma() {
        return Activation.of(activation);
    }

    /** c_sigma in force: 1 for two-layer (Du et al. 2019 exactly), else 1 / E[sigma(z)^2]. */
    public double effectiveCSigma() {
        if (!Double.isNaN(cSigma)) return cSigma;
        return arch.equals("two-layer") ? 1.0 : 1.0 / sigma().secondMoment();
    }

    public boolean trainsHidden() {
        return !trained.equals("output");
    }

    public boolean trainsOutput() {
        return !trained.equals("hidden");
    }

    /** P(m): the number of trained parameters at width m, d inputs and k outputs. */
    public long params(int m, int d, int k) {
        long hidden = (long) m * d + (long) (depth - 2) * m * m;
        long out = (long) m * k;
        return switch (trained) {
            case "hidden" -> hidden;
            case "output" -> out;
            default -> hidden + out;
        };
    }
}
