package org.widthlaw.lib.model;

import java.io.Serializable;
import org.widthlaw.lib.Checks;

/**
 * A network family of docs/METHOD.md section 3: {@code arch} (two-layer | fc | resnet | cnn), depth L
 * (number of weight layers), which layers are {@code trained} (hidden | output | all), the
 * activation, the layer scale c_sigma (NaN: the protocol's default), the residual scale c_res and,
 * for cnn, the filter size q ({@code kernel}; 0 for the other families, which have no filters) and
 * whether the filters are q x q over a side x side grid of the d = side^2 inputs ({@code kernel2d}:
 * an image in raster order) rather than q over a line of d.
 */
public record ModelSpec(
        Arch arch,
        int depth,
        Trained trained,
        Activation activation,
        double cSigma,
        double cRes,
        int kernel,
        boolean kernel2d)
        implements Serializable {
    public static final int MAX_DEPTH = 64;
    /** The filter size q of cnn when the job names none (docs/METHOD.md section 3). */
    public static final int DEFAULT_KERNEL = 3;
    /** The largest filter size q; a filter is further bounded by the d input positions ({@link Layout}). */
    public static final int MAX_KERNEL = 1 << 16;
    /** The largest q of a q x q filter (so that q^2 taps stay far inside an int). */
    public static final int MAX_KERNEL_2D = 1 << 10;

    public ModelSpec {
        Checks.notNull(arch, "model.arch");
        switch (arch) {
            case TWO_LAYER -> {
                if (depth != 2) throw Checks.invalid("grid.depth", "two-layer has depth 2 only, got " + depth);
            }
            case FC -> Checks.inRange(depth, 2, MAX_DEPTH, "grid.depth");
            case RESNET -> Checks.inRange(depth, 3, MAX_DEPTH, "grid.depth");
            case CNN -> Checks.inRange(depth, 2, MAX_DEPTH, "grid.depth");
        }
        if (arch == Arch.CNN) Checks.inRange(kernel, 1, kernel2d ? MAX_KERNEL_2D : MAX_KERNEL, "model.kernel");
        else if (kernel != 0 || kernel2d)
            throw Checks.invalid("model.kernel", "applies to cnn only, not to " + arch.id());
        Checks.notNull(trained, "model.trained");
        Checks.notNull(activation, "model.activation");
        if (!Double.isNaN(cSigma)) Checks.positive(cSigma, "model.c_sigma");
        Checks.openUnit(cRes, "model.c_res");
    }

    /** A model with 1-D filters of size {@code kernel} for cnn (0 for the other families). */
    public ModelSpec(
            Arch arch, int depth, Trained trained, Activation activation, double cSigma, double cRes, int kernel) {
        this(arch, depth, trained, activation, cSigma, cRes, kernel, false);
    }

    /** The number of taps of one filter: q, or q^2 for a 2-D kernel (0 for the families without filters). */
    public int taps() {
        return kernel2d ? kernel * kernel : kernel;
    }

    /** A model without a kernel of its own: q = {@link #DEFAULT_KERNEL} for cnn, none (0) for the others. */
    public ModelSpec(Arch arch, int depth, Trained trained, Activation activation, double cSigma, double cRes) {
        this(arch, depth, trained, activation, cSigma, cRes, arch == Arch.CNN ? DEFAULT_KERNEL : 0);
    }

    public static ModelSpec twoLayer() {
        return new ModelSpec(Arch.TWO_LAYER, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
    }

    /** c_sigma in force: 1 for two-layer (Du et al. 2019 exactly), else 1 / E[sigma(z)^2]. */
    public double effectiveCSigma() {
        if (!Double.isNaN(cSigma)) return cSigma;
        return arch == Arch.TWO_LAYER ? 1.0 : 1.0 / activation.secondMoment();
    }

    public boolean trainsHidden() {
        return trained != Trained.OUTPUT;
    }

    public boolean trainsOutput() {
        return trained != Trained.HIDDEN;
    }

    /** P(m): the number of trained parameters at width m, d inputs and k outputs. */
    public long params(int m, int d, int k) {
        // Exact: every term is an integer below 2^53 for m <= 2^20 and depth <= 64.
        return (long) paramsAt(m, d, k);
    }

    /**
     * P(m) for a real width m (an estimate such as m*_inf); the one formula behind {@link #params}.
     * For cnn, m counts channels: P = m q + (L-2) m^2 q for the hidden layers (q^2 in place of q for a
     * 2-D kernel) and m d k (one output weight per channel, position and output) for a.
     */
    public double paramsAt(double m, int d, int k) {
        boolean cnn = arch == Arch.CNN;
        double hidden = cnn ? m * taps() + (depth - 2) * m * m * taps() : m * d + (depth - 2) * m * m;
        double out = cnn ? m * d * k : m * k;
        return switch (trained) {
            case HIDDEN -> hidden;
            case OUTPUT -> out;
            case ALL -> hidden + out;
        };
    }

    /**
     * The cost model: floating-point operations of one GD step's matrix products for one network
     * of width m on n samples, d inputs and k outputs (forward, plus the backward products of the
     * trained layers). Scheduling, planning and throughput figures all use this one estimate. For
     * cnn, each of the n d (sample, position) rows is one fc-like product with fan-in q (layer 1)
     * or m q (later layers), and the output reads all m d activations of a sample.
     */
    public double flopsPerStep(int n, int d, int k, int m) {
        int layers = depth - 1;
        if (arch == Arch.CNN) {
            double rows = (double) n * d, q = taps();
            double fwd = 2.0 * rows * m * q + 2.0 * rows * m * m * q * (layers - 1) + 2.0 * rows * m * k;
            double bwd = 0;
            if (trainsOutput()) bwd += 2.0 * rows * m * k;
            if (trainsHidden()) bwd += 2.0 * rows * m * k + 2.0 * rows * m * q + 4.0 * rows * m * m * q * (layers - 1);
            return fwd + bwd;
        }
        double fwd = 2.0 * n * m * d + 2.0 * n * m * m * (layers - 1) + 2.0 * n * m * k;
        double bwd = 0;
        if (trainsOutput()) bwd += 2.0 * n * m * k;
        if (trainsHidden()) bwd += 2.0 * n * m * k + 2.0 * n * m * d + 4.0 * n * m * m * (layers - 1);
        return fwd + bwd;
    }
}
