package org.widthlaw.lib.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Kernels} with SIMD lanes; loaded only when jdk.incubator.vector is in the boot layer. */
final class VectorKernels {
    private static final VectorSpecies<Double> SP = DoubleVector.SPECIES_PREFERRED;

    private VectorKernels() {}

    static void reluForward(double[] h, double[] z, double[] s, int rows, int total) {
        int up = SP.loopBound(total);
        for (int i = 0; i < rows; i++) {
            int o = i * total;
            int c = 0;
            for (; c < up; c += SP.length()) {
                DoubleVector zz = DoubleVector.fromArray(SP, z, o + c).max(0.0);
                DoubleVector.fromArray(SP, s, c).mul(zz).intoArray(h, o + c);
            }
            for (; c < total; c++) h[o + c] = s[c] * Math.max(z[o + c], 0.0);
        }
    }

    static void reluBackward(double[] ds, double[] g, double[] z, double[] s, int rows, int total) {
        int up = SP.loopBound(total);
        DoubleVector zero = DoubleVector.zero(SP);
        for (int i = 0; i < rows; i++) {
            int o = i * total;
            int c = 0;
            for (; c < up; c += SP.length()) {
                DoubleVector v = DoubleVector.fromArray(SP, s, c).mul(DoubleVector.fromArray(SP, g, o + c));
                v.blend(zero, DoubleVector.fromArray(SP, z, o + c).compare(VectorOperators.LE, 0.0))
                        .intoArray(ds, o + c);
            }
            for (; c < total; c++) ds[o + c] = z[o + c] > 0 ? s[c] * g[o + c] : 0.0;
        }
    }
}
