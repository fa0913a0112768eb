package org.widthlaw.lib.train;

import java.net.InetAddress;
import java.util.Arrays;
import org.widthlaw.lib.Seeds;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Network;

/**
 * Full-batch gradient descent on 0.5 ||f(X) - Y||^2 (PROTOCOL.md section 4). A run succeeds at the
 * first step t <= T with relative loss r(t) <= tol, diverges when r(t) is not finite or exceeds
 * 1e6, and otherwise fails at T.
 */
public final class Trainer {
    private static final String HOST = hostName();

    private Trainer() {}

    public static ProbeResult train(ProbeSpec spec) {
        return train(spec, Datasets.build(spec.data(), spec.n(), spec.seed()), Blas.get());
    }

    public static ProbeResult train(ProbeSpec spec, Dataset data, Blas blas) {
        long start = System.nanoTime();
        TrainSpec ts = spec.train();
        Network net = new Network(spec.model(), data, spec.width(), blas);
        net.initialise(Seeds.init(spec.seed(), spec.width()));
        net.forward();

        int from = net.trainedFrom(), to = net.trainedTo();
        double[] theta = net.theta();
        double[] theta0 = Arrays.copyOfRange(theta, from, to);
        boolean relu = spec.model().sigma() == Activation.RELU;
        boolean[] signs0 = relu ? activationSigns(net) : null;

        double lambdaMax = PowerIteration.lambdaMax(net, Seeds.power(spec.seed(), spec.width()));
        double lr = ts.autoLr() ? ts.cEta() / lambdaMax : ts.lr();

        double[] y = data.y();
        double[] f = net.outputs();
        double[] resid = new double[f.length];
        double[] grad = new double[net.size()];
        double yNorm = data.targetNormSq();
        int[] cSteps = new int[64];
        double[] cLoss = new double[64];
        int curve = 0;
        int nextMark = 0;

        String status;
        int t = 0;
        double r;
        while (true) {
            double ss = 0;
            for (int i = 0; i < f.length; i++) {
                double e = f[i] - y[i];
                resid[i] = e;
                ss += e * e;
            }
            r = ss / yNorm;
            if (t == nextMark) {
                cSteps[curve] = t;
                cLoss[curve++] = r;
                nextMark = t == 0 ? 1 : 2 * t;
            }
            if (r <= ts.tol()) {
                status = ProbeResult.SUCCESS;
                break;
            }
            if (!Double.isFinite(r) || r > TrainSpec.DIVERGED) {
                status = ProbeResult.DIVERGED;
                break;
            }
            if (t == ts.steps()) {
                status = ProbeResult.FAIL;
                break;
            }
            net.vjp(resid, grad);
            for (int i = from; i < to; i++) theta[i] -= lr * grad[i];
            net.forward();
            t++;
        }
        if (cSteps[curve - 1] != t) {
            cSteps[curve] = t;
            cLoss[curve++] = r;
        }

        double move = 0, base = 0;
        for (int i = from; i < to; i++) {
            double dlt = theta[i] - theta0[i - from];
            move += dlt * dlt;
            base += theta0[i - from] * theta0[i - from];
        }
        double relMove = base > 0 ? Math.sqrt(move / base) : Double.NaN;
        double flip = Double.NaN;
        if (relu && Double.isFinite(r)) {
            boolean[] signs1 = activationSigns(net);
            int changed = 0;
            for (int i = 0; i < signs0.length; i++) if (signs0[i] != signs1[i]) changed++;
            flip = (double) changed / signs0.length;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        return new ProbeResult(spec.probeId(), spec.cellId(), spec.width(), spec.params(), status, t, r, lr,
                Double.NaN, lambdaMax, relMove, flip, secs, blas.name(), ts.precision(), HOST, 0,
                Arrays.copyOf(cSteps, curve), Arrays.copyOf(cLoss, curve));
    }

    /** Signs (z > 0) of every (sample, unit) pre-activation of every hidden layer. */
    private static boolean[] activationSigns(Network net) {
        int layers = net.hiddenLayers();
        int per = net.preActivations(1).length;
        boolean[] s = new boolean[layers * per];
        for (int l = 1; l <= layers; l++) {
            double[] z = net.preActivations(l);
            for (int i = 0; i < per; i++) s[(l - 1) * per + i] = z[i] > 0;
        }
        return s;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
