package org.widthlaw.lib.train;

import org.widthlaw.lib.Seeds;
import org.widthlaw.lib.model.FloatNetwork;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.model.Network;

/**
 * One SGD epoch of a batch of probes (docs/METHOD.md section 4): the n samples in the epoch's seeded
 * order ({@link Seeds#shuffle}), cut into minibatches of B (the last one holds the n mod B left over,
 * when there are some); per minibatch b, theta_j -= eta_j (n / |b|) grad of 0.5 sum_{i in b} loss_i,
 * i.e. the minibatch loss scaled to the full sum. The minibatch networks share the batch's parameters
 * ({@link Network#minibatch}, {@link FloatNetwork#minibatch}); the float32 step updates the float
 * parameters. Made anew whenever the batch of probes changes.
 */
final class SgdEpoch {
    private final int n, size;
    private final long cellSeed;
    private final Loss loss;
    private final Network mb, rest;
    private final FloatNetwork mb32, rest32;
    private final double[] grad, value, margin;

    /** For the batch {@code net} (float64) or its float32 step {@code f32} (then non-null). */
    SgdEpoch(Network net, FloatNetwork f32, int batch, long cellSeed, Loss loss) {
        this.n = net.data().n();
        this.size = Math.min(batch, n);
        this.cellSeed = cellSeed;
        this.loss = loss;
        int left = n % size;
        if (f32 != null) {
            mb32 = f32.minibatch(size);
            rest32 = left > 0 ? f32.minibatch(left) : null;
            mb = rest = null;
            grad = null;
        } else {
            mb = net.minibatch(size);
            rest = left > 0 ? net.minibatch(left) : null;
            mb32 = rest32 = null;
            grad = new double[net.size()];
        }
        int probes = net.probes();
        value = new double[probes];
        margin = new double[probes];
    }

    /** Runs epoch {@code epoch} (0-based): the step of epoch t takes the parameters from t to t + 1. */
    void run(int epoch, double[] lr) {
        int[] order = Seeds.shuffle(cellSeed, n, epoch);
        for (int from = 0; from < n; from += size) {
            int rows = Math.min(size, n - from);
            double scale = (double) n / rows;
            if (mb32 != null) {
                FloatNetwork step = rows == size ? mb32 : rest32;
                step.load(order, from);
                step.lossAndGradient(loss, value, margin);
                for (int j = 0; j < lr.length; j++) step.descend(j, lr[j] * scale);
                continue;
            }
            Network step = rows == size ? mb : rest;
            step.load(order, from);
            step.lossAndGradient(loss, grad, value, margin);
            double[] theta = step.theta();
            for (int j = 0; j < lr.length; j++) {
                double eta = lr[j] * scale;
                int[] lo = step.segmentsFrom(j), hi = step.segmentsTo(j);
                for (int s = 0; s < lo.length; s++) {
                    for (int i = lo[s]; i < hi[s]; i++) theta[i] -= eta * grad[i];
                }
            }
        }
    }
}
