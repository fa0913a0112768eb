package org.widthlaw.lib.model;

import java.util.Arrays;

/**
 * Where everything of a {@link Network} batch lives, computed once: the widths of the B probes,
 * their columns in the shared n x M activation matrices, the offsets of every layer's weights in
 * the parameter vector, the layer scales and skips, and each probe's trained segments.
 *
 * <p>The parameter vector holds the first layers of all probes as one M x d matrix (probe j's rows
 * start at row col_j), then each later layer probe by probe (m_j x m_j each), then the output
 * weights probe by probe (m_j x k each, so they too form one M x k matrix). Layer l (0-based) of
 * probe j has the scale s = sqrt(c_sigma / m_j), or c_res / (L sqrt(m_j)) with skip 1 for a resnet
 * layer l > 0.
 *
 * <p>A cnn batch ({@link ConvNetwork}) keeps the same order with other block sizes: W_1 of probe j is
 * m_j x q (channel c, tap s at c q + s), a later W_l is m_j x (q m_j) (output channel c, tap s,
 * input channel c' at (c q + s) m_j + c'), and a is (d m_j) x k (position t, channel c, output at
 * (t m_j + c) k + o); the scale is s = sqrt(c_sigma / (m_j q)) for every layer, the first included
 * (docs/METHOD.md section 3; see {@link ConvNetwork} for why m_j q and not the fan-in q there).
 *
 * <p>The float64 step ({@link Network}) and the float32 one ({@link FloatNetwork}) read the same
 * instance, so the two cannot disagree about the layout. It is immutable: its arrays are filled
 * here and never written afterwards (they are package-visible only so that the hot loops index
 * them directly).
 */
final class Layout {
    /** Inputs d and outputs k per probe; hidden layers L - 1; probes B. */
    final int d, k, layers, batch;
    /** M = sum of the widths: the columns of the activation matrices. */
    final int total;
    /** B k: the columns of the output matrix, probe j in [j k, (j+1) k). */
    final int outputs;
    /** Length of the parameter vector. */
    final int size;

    final boolean trainsHidden, trainsOutput;
    /** Whether this is a cnn batch; its filter size q (0 otherwise) and positions p (d for cnn, else 1). */
    final boolean conv;

    final int kernel, positions;
    /** Taps of one filter: q, or q^2 for a 2-D kernel. */
    final int taps;
    /**
     * cnn: [t taps + u] the position that tap u of position t reads, (t + u) mod p for 1-D filters,
     * ((r + a) mod side) side + (c + b) mod side for tap (a, b) of position (r, c) of a 2-D one;
     * empty otherwise.
     */
    final int[] tapSource;
    /** [probe] m_j. */
    final int[] widths;
    /** [probe] first column col_j of probe j in the activation matrices. */
    final int[] col;
    /** [layer][probe] offset of W_l of probe j in the parameters. */
    final int[][] wOff;
    /** [probe] offset of the output weights a of probe j. */
    final int[] aOff;
    /** [layer][probe] the layer scale s_l of probe j. */
    final double[][] scale;
    /** [layer][column] s_l of the column's probe. */
    final double[][] colScale;
    /** [layer] 1 where h_l adds h_{l-1} (resnet layers after the first), else 0. */
    final double[] skip;
    /** [probe][segment] probe j's trained parameter ranges [segFrom, segTo). */
    final int[][] segFrom, segTo;

    Layout(ModelSpec spec, int d, int k, int[] widths) {
        if (widths.length < 1) throw new IllegalArgumentException("at least one width is needed");
        this.d = d;
        this.k = k;
        this.layers = spec.depth() - 1;
        this.batch = widths.length;
        this.widths = widths.clone();
        this.col = new int[batch];
        int m = 0;
        for (int j = 0; j < batch; j++) {
            if (widths[j] < 1) throw new IllegalArgumentException("width must be >= 1, got " + widths[j]);
            col[j] = m;
            m = Math.addExact(m, widths[j]);
        }
        this.total = m;
        this.outputs = Math.multiplyExact(batch, k);
        this.conv = spec.arch() == Arch.CNN;
        this.kernel = spec.kernel();
        this.positions = conv ? d : 1;
        this.taps = spec.taps();
        this.tapSource = conv ? tapSource(spec, d) : new int[0];
        boolean resnet = spec.arch() == Arch.RESNET;
        double cs = spec.effectiveCSigma();
        this.wOff = new int[layers][batch];
        this.scale = new double[layers][batch];
        this.colScale = new double[layers][total];
        this.skip = new double[layers];
        int off = 0;
        for (int l = 0; l < layers; l++) {
            skip[l] = resnet && l > 0 ? 1 : 0;
            for (int j = 0; j < batch; j++) {
                int mj = widths[j];
                wOff[l][j] = off;
                off = Math.addExact(off, weights(l, j));
                double s = resnet && l > 0
                        ? spec.cRes() / (spec.depth() * Math.sqrt(mj))
                        : Math.sqrt(cs / (conv ? (double) mj * taps : mj));
                scale[l][j] = s;
                Arrays.fill(colScale[l], col[j], col[j] + mj, s);
            }
        }
        this.aOff = new int[batch];
        for (int j = 0; j < batch; j++) {
            aOff[j] = off;
            off = Math.addExact(off, outWeights(j));
        }
        this.size = off;
        this.trainsHidden = spec.trainsHidden();
        this.trainsOutput = spec.trainsOutput();
        this.segFrom = new int[batch][];
        this.segTo = new int[batch][];
        for (int j = 0; j < batch; j++) {
            int segs = (trainsHidden ? layers : 0) + (trainsOutput ? 1 : 0);
            segFrom[j] = new int[segs];
            segTo[j] = new int[segs];
            int s = 0;
            if (trainsHidden) {
                for (int l = 0; l < layers; l++) {
                    segFrom[j][s] = wOff[l][j];
                    segTo[j][s++] = wOff[l][j] + weights(l, j);
                }
            }
            if (trainsOutput) {
                segFrom[j][s] = aOff[j];
                segTo[j][s] = aOff[j] + outWeights(j);
            }
        }
    }

    /**
     * The number of entries of W_l (0-based l) of probe j: m_j x d for the first layer, else m_j x m_j
     * (cnn: m_j x q, else m_j x q m_j).
     */
    int weights(int l, int j) {
        int mj = widths[j];
        if (conv) return Math.multiplyExact(mj, l == 0 ? taps : Math.multiplyExact(mj, taps));
        return Math.multiplyExact(mj, l == 0 ? d : mj);
    }

    /** The number of entries of probe j's output weights a: m_j x k (cnn: d m_j x k). */
    int outWeights(int j) {
        return Math.multiplyExact(Math.multiplyExact(widths[j], positions), k);
    }

    /** See {@link #tapSource}; a filter larger than the line or the grid is an error naming model.kernel. */
    private static int[] tapSource(ModelSpec spec, int d) {
        int q = spec.kernel(), taps = spec.taps();
        int[] src = new int[Math.multiplyExact(d, taps)];
        if (!spec.kernel2d()) {
            if (q > d) {
                throw org.widthlaw.lib.Checks.invalid(
                        "model.kernel", "must be at most the d = " + d + " input positions, got " + q);
            }
            for (int t = 0; t < d; t++) {
                for (int u = 0; u < q; u++) src[t * taps + u] = (t + u) % d;
            }
            return src;
        }
        int side = (int) Math.round(Math.sqrt(d));
        if (side * side != d) {
            throw org.widthlaw.lib.Checks.invalid(
                    "model.kernel", "[q, q] needs a square grid of d = side^2 inputs, got d = " + d);
        }
        if (q > side) {
            throw org.widthlaw.lib.Checks.invalid(
                    "model.kernel", "[q, q] must be at most the grid's side " + side + ", got q = " + q);
        }
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                for (int a = 0; a < q; a++) {
                    for (int b = 0; b < q; b++) {
                        src[(r * side + c) * taps + a * q + b] = ((r + a) % side) * side + (c + b) % side;
                    }
                }
            }
        }
        return src;
    }
}
