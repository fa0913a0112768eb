package org.widthlaw.lib.model;

/**
 * The ReLU loops of the training step, on row-major rows x total blocks with a per-column scale:
 * h = s * max(z, 0) and delta = (z > 0 ? s * g : 0). ReLU signs are random, so a branch per
 * element mispredicts half the time; these run branch-free, with SIMD lanes through the JDK's
 * Vector API when the jdk.incubator.vector module is present (Spark's launch flags add it), and
 * in scalar Java otherwise. Both give the same bits: each element is one multiply.
 */
final class Kernels {
    private static final boolean VECTOR =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Kernels() {}

    static void reluForward(double[] h, double[] z, double[] s, int rows, int total) {
        if (VECTOR) {
            VectorKernels.reluForward(h, z, s, rows, total);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int o = i * total;
            for (int c = 0; c < total; c++) h[o + c] = s[c] * Math.max(z[o + c], 0.0);
        }
    }

    static void reluBackward(double[] ds, double[] g, double[] z, double[] s, int rows, int total) {
        if (VECTOR) {
            VectorKernels.reluBackward(ds, g, z, s, rows, total);
            return;
        }
        for (int i = 0; i < rows; i++) {
            int o = i * total;
            // max(z, 0) scaled twice by 1e308 is +infinity for every positive double and 0 otherwise.
            for (int c = 0; c < total; c++)
                ds[o + c] = s[c] * g[o + c] * Math.min(1.0, Math.max(z[o + c], 0.0) * 1e308 * 1e308);
        }
    }
}
