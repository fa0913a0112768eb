package org.widthlaw.lib.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Kernels} with SIMD lanes; loaded only when jdk.incubator.vector is in the boot layer. */
final class VectorKernels {
    private static final VectorSpecies<Double> SP = DoubleVector.SPECIES_PREFERRED;
    /** The fused step uses fixed 256-bit vectors, so its bits do not depend on the machine's widest ones. */
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;

    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;

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

    // The fused step of FusedStep, two 256-bit vectors (4 lanes each) of columns at a time.

    static void fusedForward(
            double[] x,
            int x0,
            int rows,
            int d,
            double[] wt,
            int w0,
            int mp,
            double[] as,
            int a0,
            double[] z,
            double[] f) {
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            int xa = x0 + i * d, xb = xa + d, xc = xb + d, xd = xc + d;
            int za = i * mp;
            DoubleVector f0 = DoubleVector.zero(D4), f1 = f0, f2 = f0, f3 = f0;
            for (int c = 0; c < mp; c += 2 * 4) {
                DoubleVector a0v = DoubleVector.zero(D4),
                        a1v = a0v,
                        b0v = a0v,
                        b1v = a0v,
                        c0v = a0v,
                        c1v = a0v,
                        d0v = a0v,
                        d1v = a0v;
                for (int kk = 0, wo = w0 + c; kk < d; kk++, wo += mp) {
                    DoubleVector wa = DoubleVector.fromArray(D4, wt, wo), wb = DoubleVector.fromArray(D4, wt, wo + 4);
                    DoubleVector xv = DoubleVector.broadcast(D4, x[xa + kk]);
                    a0v = xv.fma(wa, a0v);
                    a1v = xv.fma(wb, a1v);
                    xv = DoubleVector.broadcast(D4, x[xb + kk]);
                    b0v = xv.fma(wa, b0v);
                    b1v = xv.fma(wb, b1v);
                    xv = DoubleVector.broadcast(D4, x[xc + kk]);
                    c0v = xv.fma(wa, c0v);
                    c1v = xv.fma(wb, c1v);
                    xv = DoubleVector.broadcast(D4, x[xd + kk]);
                    d0v = xv.fma(wa, d0v);
                    d1v = xv.fma(wb, d1v);
                }
                int zo = za + c;
                a0v.intoArray(z, zo);
                a1v.intoArray(z, zo + 4);
                b0v.intoArray(z, zo + mp);
                b1v.intoArray(z, zo + mp + 4);
                c0v.intoArray(z, zo + 2 * mp);
                c1v.intoArray(z, zo + 2 * mp + 4);
                d0v.intoArray(z, zo + 3 * mp);
                d1v.intoArray(z, zo + 3 * mp + 4);
                DoubleVector sa = DoubleVector.fromArray(D4, as, a0 + c),
                        sb = DoubleVector.fromArray(D4, as, a0 + c + 4);
                f0 = a1v.max(0.0).fma(sb, a0v.max(0.0).fma(sa, f0));
                f1 = b1v.max(0.0).fma(sb, b0v.max(0.0).fma(sa, f1));
                f2 = c1v.max(0.0).fma(sb, c0v.max(0.0).fma(sa, f2));
                f3 = d1v.max(0.0).fma(sb, d0v.max(0.0).fma(sa, f3));
            }
            f[i] = lanes(f0);
            f[i + 1] = lanes(f1);
            f[i + 2] = lanes(f2);
            f[i + 3] = lanes(f3);
        }
        for (; i < rows; i++) {
            int xa = x0 + i * d, za = i * mp;
            DoubleVector f0 = DoubleVector.zero(D4);
            for (int c = 0; c < mp; c += 2 * 4) {
                DoubleVector a0v = DoubleVector.zero(D4), a1v = a0v;
                for (int kk = 0, wo = w0 + c; kk < d; kk++, wo += mp) {
                    DoubleVector xv = DoubleVector.broadcast(D4, x[xa + kk]);
                    a0v = xv.fma(DoubleVector.fromArray(D4, wt, wo), a0v);
                    a1v = xv.fma(DoubleVector.fromArray(D4, wt, wo + 4), a1v);
                }
                a0v.intoArray(z, za + c);
                a1v.intoArray(z, za + c + 4);
                DoubleVector sa = DoubleVector.fromArray(D4, as, a0 + c),
                        sb = DoubleVector.fromArray(D4, as, a0 + c + 4);
                f0 = a1v.max(0.0).fma(sb, a0v.max(0.0).fma(sa, f0));
            }
            f[i] = lanes(f0);
        }
    }

    static void fusedResidual(double[] z, int rows, int mp, double[] r, double[] as, int a0) {
        DoubleVector zero = DoubleVector.zero(D4);
        for (int i = 0; i < rows; i++) {
            DoubleVector rv = DoubleVector.broadcast(D4, r[i]);
            for (int c = 0, o = i * mp; c < mp; c += 4, o += 4) {
                DoubleVector zv = DoubleVector.fromArray(D4, z, o);
                zero.blend(rv.mul(DoubleVector.fromArray(D4, as, a0 + c)), zv.compare(VectorOperators.GT, 0.0))
                        .intoArray(z, o);
            }
        }
    }

    static void fusedBackward(
            double[] x, int x0, int rows, int d, double[] g, int mp, double[] dwt, int w0, boolean first) {
        int kk = 0;
        for (; kk + 4 <= d; kk += 4) {
            for (int c = 0; c < mp; c += 2 * 4) {
                DoubleVector a0v = DoubleVector.zero(D4),
                        a1v = a0v,
                        b0v = a0v,
                        b1v = a0v,
                        c0v = a0v,
                        c1v = a0v,
                        d0v = a0v,
                        d1v = a0v;
                for (int i = 0, go = c, xo = x0 + kk; i < rows; i++, go += mp, xo += d) {
                    DoubleVector ga = DoubleVector.fromArray(D4, g, go), gb = DoubleVector.fromArray(D4, g, go + 4);
                    DoubleVector xv = DoubleVector.broadcast(D4, x[xo]);
                    a0v = xv.fma(ga, a0v);
                    a1v = xv.fma(gb, a1v);
                    xv = DoubleVector.broadcast(D4, x[xo + 1]);
                    b0v = xv.fma(ga, b0v);
                    b1v = xv.fma(gb, b1v);
                    xv = DoubleVector.broadcast(D4, x[xo + 2]);
                    c0v = xv.fma(ga, c0v);
                    c1v = xv.fma(gb, c1v);
                    xv = DoubleVector.broadcast(D4, x[xo + 3]);
                    d0v = xv.fma(ga, d0v);
                    d1v = xv.fma(gb, d1v);
                }
                int o = w0 + kk * mp + c;
                store(a0v, dwt, o, first);
                store(a1v, dwt, o + 4, first);
                store(b0v, dwt, o + mp, first);
                store(b1v, dwt, o + mp + 4, first);
                store(c0v, dwt, o + 2 * mp, first);
                store(c1v, dwt, o + 2 * mp + 4, first);
                store(d0v, dwt, o + 3 * mp, first);
                store(d1v, dwt, o + 3 * mp + 4, first);
            }
        }
        for (; kk < d; kk++) {
            for (int c = 0; c < mp; c += 2 * 4) {
                DoubleVector a0v = DoubleVector.zero(D4), a1v = a0v;
                for (int i = 0, go = c, xo = x0 + kk; i < rows; i++, go += mp, xo += d) {
                    DoubleVector xv = DoubleVector.broadcast(D4, x[xo]);
                    a0v = xv.fma(DoubleVector.fromArray(D4, g, go), a0v);
                    a1v = xv.fma(DoubleVector.fromArray(D4, g, go + 4), a1v);
                }
                int o = w0 + kk * mp + c;
                store(a0v, dwt, o, first);
                store(a1v, dwt, o + 4, first);
            }
        }
    }

    private static void store(DoubleVector v, double[] out, int o, boolean first) {
        (first ? v : v.add(DoubleVector.fromArray(D4, out, o))).intoArray(out, o);
    }

    /** The lanes of a four-lane sum in the fixed tree (l0 + l1) + (l2 + l3). */
    private static double lanes(DoubleVector v) {
        return (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
    }

    // The fused step of FusedStep, two 256-bit vectors (8 lanes each) of columns at a time.

    static void fusedForward(
            float[] x, int x0, int rows, int d, float[] wt, int w0, int mp, float[] as, int a0, float[] z, float[] f) {
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            int xa = x0 + i * d, xb = xa + d, xc = xb + d, xd = xc + d;
            int za = i * mp;
            FloatVector f0 = FloatVector.zero(F8), f1 = f0, f2 = f0, f3 = f0;
            for (int c = 0; c < mp; c += 2 * 8) {
                FloatVector a0v = FloatVector.zero(F8),
                        a1v = a0v,
                        b0v = a0v,
                        b1v = a0v,
                        c0v = a0v,
                        c1v = a0v,
                        d0v = a0v,
                        d1v = a0v;
                for (int kk = 0, wo = w0 + c; kk < d; kk++, wo += mp) {
                    FloatVector wa = FloatVector.fromArray(F8, wt, wo), wb = FloatVector.fromArray(F8, wt, wo + 8);
                    FloatVector xv = FloatVector.broadcast(F8, x[xa + kk]);
                    a0v = xv.fma(wa, a0v);
                    a1v = xv.fma(wb, a1v);
                    xv = FloatVector.broadcast(F8, x[xb + kk]);
                    b0v = xv.fma(wa, b0v);
                    b1v = xv.fma(wb, b1v);
                    xv = FloatVector.broadcast(F8, x[xc + kk]);
                    c0v = xv.fma(wa, c0v);
                    c1v = xv.fma(wb, c1v);
                    xv = FloatVector.broadcast(F8, x[xd + kk]);
                    d0v = xv.fma(wa, d0v);
                    d1v = xv.fma(wb, d1v);
                }
                int zo = za + c;
                a0v.intoArray(z, zo);
                a1v.intoArray(z, zo + 8);
                b0v.intoArray(z, zo + mp);
                b1v.intoArray(z, zo + mp + 8);
                c0v.intoArray(z, zo + 2 * mp);
                c1v.intoArray(z, zo + 2 * mp + 8);
                d0v.intoArray(z, zo + 3 * mp);
                d1v.intoArray(z, zo + 3 * mp + 8);
                FloatVector sa = FloatVector.fromArray(F8, as, a0 + c), sb = FloatVector.fromArray(F8, as, a0 + c + 8);
                f0 = a1v.max(0f).fma(sb, a0v.max(0f).fma(sa, f0));
                f1 = b1v.max(0f).fma(sb, b0v.max(0f).fma(sa, f1));
                f2 = c1v.max(0f).fma(sb, c0v.max(0f).fma(sa, f2));
                f3 = d1v.max(0f).fma(sb, d0v.max(0f).fma(sa, f3));
            }
            f[i] = lanes(f0);
            f[i + 1] = lanes(f1);
            f[i + 2] = lanes(f2);
            f[i + 3] = lanes(f3);
        }
        for (; i < rows; i++) {
            int xa = x0 + i * d, za = i * mp;
            FloatVector f0 = FloatVector.zero(F8);
            for (int c = 0; c < mp; c += 2 * 8) {
                FloatVector a0v = FloatVector.zero(F8), a1v = a0v;
                for (int kk = 0, wo = w0 + c; kk < d; kk++, wo += mp) {
                    FloatVector xv = FloatVector.broadcast(F8, x[xa + kk]);
                    a0v = xv.fma(FloatVector.fromArray(F8, wt, wo), a0v);
                    a1v = xv.fma(FloatVector.fromArray(F8, wt, wo + 8), a1v);
                }
                a0v.intoArray(z, za + c);
                a1v.intoArray(z, za + c + 8);
                FloatVector sa = FloatVector.fromArray(F8, as, a0 + c), sb = FloatVector.fromArray(F8, as, a0 + c + 8);
                f0 = a1v.max(0f).fma(sb, a0v.max(0f).fma(sa, f0));
            }
            f[i] = lanes(f0);
        }
    }

    static void fusedResidual(float[] z, int rows, int mp, float[] r, float[] as, int a0) {
        FloatVector zero = FloatVector.zero(F8);
        for (int i = 0; i < rows; i++) {
            FloatVector rv = FloatVector.broadcast(F8, r[i]);
            for (int c = 0, o = i * mp; c < mp; c += 8, o += 8) {
                FloatVector zv = FloatVector.fromArray(F8, z, o);
                zero.blend(rv.mul(FloatVector.fromArray(F8, as, a0 + c)), zv.compare(VectorOperators.GT, 0f))
                        .intoArray(z, o);
            }
        }
    }

    static void fusedBackward(
            float[] x, int x0, int rows, int d, float[] g, int mp, float[] dwt, int w0, boolean first) {
        int kk = 0;
        for (; kk + 4 <= d; kk += 4) {
            for (int c = 0; c < mp; c += 2 * 8) {
                FloatVector a0v = FloatVector.zero(F8),
                        a1v = a0v,
                        b0v = a0v,
                        b1v = a0v,
                        c0v = a0v,
                        c1v = a0v,
                        d0v = a0v,
                        d1v = a0v;
                for (int i = 0, go = c, xo = x0 + kk; i < rows; i++, go += mp, xo += d) {
                    FloatVector ga = FloatVector.fromArray(F8, g, go), gb = FloatVector.fromArray(F8, g, go + 8);
                    FloatVector xv = FloatVector.broadcast(F8, x[xo]);
                    a0v = xv.fma(ga, a0v);
                    a1v = xv.fma(gb, a1v);
                    xv = FloatVector.broadcast(F8, x[xo + 1]);
                    b0v = xv.fma(ga, b0v);
                    b1v = xv.fma(gb, b1v);
                    xv = FloatVector.broadcast(F8, x[xo + 2]);
                    c0v = xv.fma(ga, c0v);
                    c1v = xv.fma(gb, c1v);
                    xv = FloatVector.broadcast(F8, x[xo + 3]);
                    d0v = xv.fma(ga, d0v);
                    d1v = xv.fma(gb, d1v);
                }
                int o = w0 + kk * mp + c;
                store(a0v, dwt, o, first);
                store(a1v, dwt, o + 8, first);
                store(b0v, dwt, o + mp, first);
                store(b1v, dwt, o + mp + 8, first);
                store(c0v, dwt, o + 2 * mp, first);
                store(c1v, dwt, o + 2 * mp + 8, first);
                store(d0v, dwt, o + 3 * mp, first);
                store(d1v, dwt, o + 3 * mp + 8, first);
            }
        }
        for (; kk < d; kk++) {
            for (int c = 0; c < mp; c += 2 * 8) {
                FloatVector a0v = FloatVector.zero(F8), a1v = a0v;
                for (int i = 0, go = c, xo = x0 + kk; i < rows; i++, go += mp, xo += d) {
                    FloatVector xv = FloatVector.broadcast(F8, x[xo]);
                    a0v = xv.fma(FloatVector.fromArray(F8, g, go), a0v);
                    a1v = xv.fma(FloatVector.fromArray(F8, g, go + 8), a1v);
                }
                int o = w0 + kk * mp + c;
                store(a0v, dwt, o, first);
                store(a1v, dwt, o + 8, first);
            }
        }
    }

    private static void store(FloatVector v, float[] out, int o, boolean first) {
        (first ? v : v.add(FloatVector.fromArray(F8, out, o))).intoArray(out, o);
    }

    /** The lanes of an eight-lane sum in the fixed tree ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)). */
    private static float lanes(FloatVector v) {
        return ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3)))
                + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
    }
}
