package org.widthlaw.lib.theory;

/**
 * The widths (or parameter counts) each theorem asks for (docs/METHOD.md section 7), with every
 * hidden constant set to 1 and failure probability {@link #DELTA}. Quantities a formula needs but
 * a job did not compute are passed as NaN and give NaN.
 */
public final class Theory {
    public static final double DELTA = 0.1;

    private Theory() {}

    /** Du, Zhai, Poczos, Singh 2019, Theorem 4.1: m = n^6 / (lambda0^4 delta^3). */
    public static double duTheorem41(int n, double lambda0) {
        return StrictMath.pow(n, 6) / (StrictMath.pow(lambda0, 4) * StrictMath.pow(DELTA, 3));
    }

    /** Same paper, Lemma 3.1 (H(0) well conditioned): m = n^2 log(n / delta) / lambda0^2. */
    public static double duLemma31(int n, double lambda0) {
        return (double) n * n * StrictMath.log(n / DELTA) / (lambda0 * lambda0);
    }

    /** Allen-Zhu, Li, Song 2019: m = n^24 L^12 / delta_sep^8. */
    public static double allenZhu(int n, int depth, double deltaSep) {
        return StrictMath.pow(n, 24) * StrictMath.pow(depth, 12) / StrictMath.pow(deltaSep, 8);
    }

    /** Du, Lee, Li, Wang, Zhai 2019, deep fc (leading term): m = 2^L n^4 / lambda^4. */
    public static double duDeepFc(int n, int depth, double lambda) {
        return StrictMath.pow(2, depth) * StrictMath.pow(n, 4) / StrictMath.pow(lambda, 4);
    }

    /** Same paper, ResNet (leading term): m = n^4 / (lambda^4 L^6). */
    public static double duDeepResnet(int n, int depth, double lambda) {
        return StrictMath.pow(n, 4) / (StrictMath.pow(lambda, 4) * StrictMath.pow(depth, 6));
    }

    /** Kawaguchi, Huang 2019 with only the output layer trained: m = n k. */
    public static double kawaguchiOutput(int n, int k) {
        return (double) n * k;
    }

    /** Counting degrees of freedom: P >= n k for generic targets. */
    public static double degreesOfFreedom(int n, int k) {
        return (double) n * k;
    }

    /** The data's minimum pairwise distance, delta_sep of Allen-Zhu et al. */
    public static double minPairwiseDistance(double[] x, int n, int d) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double v = x[i * d + c] - x[j * d + c];
                    s += v * v;
                }
                best = Math.min(best, s);
            }
        }
        return n < 2 ? Double.NaN : Math.sqrt(best);
    }
}
