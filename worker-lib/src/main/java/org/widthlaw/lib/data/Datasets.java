package org.widthlaw.lib.data;

import org.widthlaw.lib.Gaussian;
import org.widthlaw.lib.Seeds;

/**
 * Builds the data of a cell from its {@link DataSpec}, n and cell seed. Samples are drawn one
 * after another from the data stream and labels from their own stream, so the first n samples
 * are the same whatever n is asked for: sample sets nest.
 */
public final class Datasets {
    /** The teacher of {@code teacher} labels: a two-layer ReLU net of this width. */
    public static final int TEACHER_WIDTH = 16;
    /** Samples (from the teacher's own stream) on which the teacher's output scale is measured. */
    static final int TEACHER_REFERENCE = 20_000;

    private Datasets() {}

    public static Dataset build(DataSpec spec, int n, long cellSeed) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        return switch (spec.kind()) {
            case FASHION_MNIST -> FashionMnist.build(spec, n, cellSeed);
            case CSV -> CsvData.build(spec, n, cellSeed);
            case SPHERE -> sphere(spec, n, cellSeed);
        };
    }

    /**
     * Checks, before any training, that the data can be read and holds at least {@code maxN}
     * samples; throws {@link org.widthlaw.lib.Checks.InvalidValue} naming the problem otherwise.
     */
    public static void check(DataSpec spec, int maxN) {
        int have = size(spec);
        if (maxN > have) {
            throw org.widthlaw.lib.Checks.invalid(
                    "grid.n",
                    "asks for " + org.widthlaw.lib.Plural.of(maxN, "sample") + ", and "
                            + spec.kind().id() + " data at " + spec.path() + " has " + have);
        }
    }

    /** How many samples the data holds: the pool of fashion-mnist, the rows of a CSV; sphere data has no end. */
    public static int size(DataSpec spec) {
        return switch (spec.kind()) {
            case FASHION_MNIST -> FashionMnist.poolSize(spec);
            case CSV -> CsvData.rows(spec);
            case SPHERE -> Integer.MAX_VALUE;
        };
    }

    private static Dataset sphere(DataSpec spec, int n, long cellSeed) {
        int d = spec.d();
        int k = spec.outputs();
        double[] x = new double[n * d];
        Gaussian g = new Gaussian(Seeds.data(cellSeed));
        for (int i = 0; i < n; i++) sphereRow(g, x, i * d, d);
        double[] y = new double[n * k];
        switch (spec.labels()) {
            case RANDOM -> {
                Gaussian lg = new Gaussian(Seeds.labels(cellSeed));
                lg.fill(y);
            }
            case TEACHER -> teacherLabels(x, n, d, k, Seeds.teacher(cellSeed), y, null);
            case TEACHER_CLASS -> {
                int[] classOf = new int[n];
                teacherLabels(x, n, d, k, Seeds.teacher(cellSeed), y, classOf);
                return new Dataset(n, d, k, x, y, null, classOf);
            }
            default -> throw new IllegalArgumentException("labels " + spec.labels());
        }
        return new Dataset(n, d, k, x, y);
    }

    /** Writes a point drawn uniformly on the unit sphere S^{d-1} at x[off..off+d). */
    static void sphereRow(Gaussian g, double[] x, int off, int d) {
        double s;
        do {
            s = 0;
            for (int j = 0; j < d; j++) {
                double v = g.next();
                x[off + j] = v;
                s += v * v;
            }
        } while (s == 0);
        double inv = 1.0 / Math.sqrt(s);
        for (int j = 0; j < d; j++) x[off + j] *= inv;
    }

    /**
     * y = g(x) / std(g) for a fixed random two-layer ReLU teacher g of width 16 (N(0,1) hidden
     * weights, +-1 output weights). std(g) is measured on reference points from the teacher's own
     * stream, so each label is a function of its x alone and nested sets stay nested.
     *
     * <p>With {@code classOf} (labels {@code teacher-class}) the targets are the teacher's classes instead,
     * each written to classOf: for one output y = +1 (class 0) when g(x) is at least its mean on the
     * reference points, else -1 (class 1); for k outputs the one-hot row of argmax_c (g_c(x) - mean_c) /
     * std_c.
     */
    static void teacherLabels(double[] x, int n, int d, int k, long seed, double[] y, int[] classOf) {
        Gaussian g = new Gaussian(seed);
        int w = TEACHER_WIDTH;
        double[] wt = new double[w * d];
        g.fill(wt);
        double[] at = new double[w * k];
        for (int i = 0; i < at.length; i++) at[i] = g.nextSign();
        double[] ref = new double[d];
        double[] out = new double[k];
        double[] sum = new double[k];
        double[] sumSq = new double[k];
        for (int i = 0; i < TEACHER_REFERENCE; i++) {
            sphereRow(g, ref, 0, d);
            teacher(wt, at, w, d, k, ref, 0, out);
            for (int c = 0; c < k; c++) {
                sum[c] += out[c];
                sumSq[c] += out[c] * out[c];
            }
        }
        double[] scale = new double[k];
        double[] means = new double[k];
        for (int c = 0; c < k; c++) {
            double mean = sum[c] / TEACHER_REFERENCE;
            double var = sumSq[c] / TEACHER_REFERENCE - mean * mean;
            scale[c] = var > 0 ? 1.0 / Math.sqrt(var) : 1.0;
            means[c] = mean;
        }
        for (int i = 0; i < n; i++) {
            teacher(wt, at, w, d, k, x, i * d, out);
            if (classOf == null) {
                for (int c = 0; c < k; c++) y[i * k + c] = out[c] * scale[c];
                continue;
            }
            if (k == 1) {
                classOf[i] = out[0] >= means[0] ? 0 : 1;
                y[i] = classOf[i] == 0 ? 1.0 : -1.0;
                continue;
            }
            int best = 0;
            for (int c = 1; c < k; c++) {
                if ((out[c] - means[c]) * scale[c] > (out[best] - means[best]) * scale[best]) best = c;
            }
            classOf[i] = best;
            for (int c = 0; c < k; c++) y[i * k + c] = c == best ? 1.0 : 0.0;
        }
    }

    private static void teacher(double[] wt, double[] at, int w, int d, int k, double[] x, int off, double[] out) {
        java.util.Arrays.fill(out, 0);
        double norm = 1.0 / Math.sqrt(w);
        for (int r = 0; r < w; r++) {
            double z = 0;
            for (int j = 0; j < d; j++) z += wt[r * d + j] * x[off + j];
            if (z > 0) for (int c = 0; c < k; c++) out[c] += norm * at[r * k + c] * z;
        }
    }
}
