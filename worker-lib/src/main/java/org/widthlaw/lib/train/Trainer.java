package org.widthlaw.lib.train;

import static org.widthlaw.lib.Optionals.finite;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.widthlaw.lib.Bounded;
import org.widthlaw.lib.Seeds;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.FloatNetwork;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.model.Network;
import org.widthlaw.lib.theory.Eigen;

/**
 * Full-batch gradient descent on 0.5 ||f(X) - Y||^2 or a classification {@link Loss} (docs/METHOD.md
 * section 4). A run succeeds at the first step t <= T with relative loss r(t) <= tol (squared) or with
 * every training sample classified with margin >= gamma (> 0 when gamma = 0; classification losses),
 * diverges when r(t) is not finite or exceeds 1e6, and otherwise fails at T. r(t) is the loss over that
 * of the zero predictor ({@link Loss#zeroLoss}): ||f(X) - Y||^2 / ||Y||^2 for squared.
 *
 * <p>With {@link Optimizer#SGD} a step is an epoch of minibatch steps ({@link SgdEpoch}) and r(t) is
 * the full-batch loss after it; everything else (success, divergence, budgets, evidence, early stop,
 * checkpoints) is the same, counted in epochs.
 *
 * <p>{@link #trainBatch} trains several probes of one cell (same data, other widths) in one
 * {@link Network} batch; each probe's result is the same as training it alone, up to the rounding
 * of the shared matrix products. A finished probe leaves the batch. A probe with a
 * {@link Checkpoint} continues from it (probes that start at the same step share a batch) and
 * gives the bits of a straight run; every probe that stops without success or divergence leaves
 * one ({@link Trained}).
 */
public final class Trainer {
    /**
     * Largest n k for which lambda_min of H(0) is computed (from the explicit Gram and a dense
     * eigen-decomposition); above it the probe row leaves it empty.
     */
    public static final int MAX_GRAM = 4096;

    private Trainer() {}

    public static ProbeResult train(ProbeSpec spec) {
        return trainBatch(List.of(spec)).get(0);
    }

    /** Trains probes that share one cell's data; results in the order given. */
    public static List<ProbeResult> trainBatch(List<ProbeSpec> specs) {
        return trainAll(specs).stream().map(Trained::result).toList();
    }

    public static List<ProbeResult> trainBatch(List<ProbeSpec> specs, Dataset data, Blas blas) {
        return trainAll(specs, data, blas).stream().map(Trained::result).toList();
    }

    /**
     * A trained probe: its result and, when it stopped without success or divergence (a larger
     * budget may continue it), where it stood; otherwise {@code checkpoint} is null.
     */
    public record Trained(ProbeResult result, Checkpoint checkpoint, double priorSecs) implements Serializable {
        @Serial
        private static final long serialVersionUID = 2L;

        /** A probe trained from step 0. */
        public Trained(ProbeResult result, Checkpoint checkpoint) {
            this(result, checkpoint, 0);
        }

        /** Seconds of this run: the result's, less those of the run it continued ({@code priorSecs}). */
        public double secsNow() {
            return result.secs() - priorSecs;
        }

        /** Steps of this run: those after the step it continued from. */
        public int stepsNow() {
            return result.steps() - result.resumedFrom();
        }
    }

    /** Trains probes that share one cell's data, with their checkpoints; results in the order given. */
    public static List<Trained> trainAll(List<ProbeSpec> specs) {
        ProbeSpec first = specs.get(0);
        return trainAll(specs, Datasets.build(first.data(), first.n(), first.seed()), Blas.get());
    }

    public static List<Trained> trainAll(List<ProbeSpec> specs, Dataset data, Blas blas) {
        ProbeSpec first = specs.get(0);
        for (ProbeSpec s : specs) {
            if (!s.data().equals(first.data())
                    || !s.model().equals(first.model())
                    || s.n() != first.n()
                    || s.seed() != first.seed()
                    || !s.train().equals(first.train())) {
                throw new IllegalArgumentException(
                        "a batch must hold probes of one cell: " + s.cellId() + " vs " + first.cellId());
            }
        }
        Map<Integer, List<Integer>> byStart = new TreeMap<>();
        for (int i = 0; i < specs.size(); i++) {
            byStart.computeIfAbsent(specs.get(i).startStep(), k -> new ArrayList<>())
                    .add(i);
        }
        Trained[] out = new Trained[specs.size()];
        for (List<Integer> group : byStart.values()) {
            List<Trained> g = trainGroup(group.stream().map(specs::get).toList(), data, blas);
            for (int i = 0; i < group.size(); i++) out[group.get(i)] = g.get(i);
        }
        return List.of(out);
    }

    /** Trains probes of one cell that all start at the same step, as one batch. */
    private static List<Trained> trainGroup(List<ProbeSpec> specs, Dataset data, Blas blas) {
        long start = System.nanoTime();
        int count = specs.size();
        ProbeSpec first = specs.get(0);
        TrainSpec ts = first.train();
        boolean relu = first.model().activation() == Activation.RELU;
        Loss loss = ts.loss();
        loss.checkTargets(data);
        double yNorm = loss.zeroLoss(data);

        // Per probe, alone: initial parameters, lambda_max of H(0), the step size, initial signs.
        State[] st = new State[count];
        for (int p = 0; p < count; p++) {
            ProbeSpec s = specs.get(p);
            Network alone = new Network(s.model(), data, s.width(), blas);
            alone.initialise(Seeds.init(s.seed(), s.width()));
            alone.forward();
            Checkpoint from = s.resume();
            if (from != null) {
                st[p] = new State(s, from.lambdaMax(), from.lr(), trained(alone, 0), relu ? signs(alone) : null, from);
                continue;
            }
            double lambdaMax = PowerIteration.lambdaMax(alone, Seeds.power(s.seed(), s.width()));
            double lr = ts.autoLr() ? ts.cEta() / lambdaMax : ts.lr();
            st[p] = new State(s, lambdaMax, lr, trained(alone, 0), relu ? signs(alone) : null, null);
            if ((long) data.n() * data.k() <= MAX_GRAM) st[p].lambdaMin = lambdaMin(alone, data.n() * data.k());
        }

        int[] active = new int[count];
        for (int p = 0; p < count; p++) active[p] = p;
        int live = count;
        Network net = batchOf(specs, active, live, data, blas, null, null);
        boolean float32 = ts.precision() == Precision.FLOAT32;
        FloatNetwork f32 = float32 ? new FloatNetwork(net) : null;
        double[] grad = new double[float32 ? 0 : net.size()];
        double[] ss = new double[count];
        double[] margins = new double[count];
        double[] lrs = new double[count];
        SgdEpoch epoch = ts.stochastic() ? new SgdEpoch(net, f32, ts.batch(), first.seed(), loss) : null;
        int t = first.startStep();
        long stepStart = System.nanoTime();
        while (live > 0) {
            if (float32) f32.lossAndGradient(loss, ss, margins);
            else net.lossAndGradient(loss, grad, ss, margins);
            boolean exported = false;
            long now = System.nanoTime();
            double share = (now - stepStart) / 1e9 / live;
            stepStart = now;
            boolean finished = false;
            for (int j = 0; j < live; j++) {
                State s = st[active[j]];
                s.secs += share;
                double r = ss[j] / yNorm;
                s.mark(t, r);
                ProbeStatus status = null;
                boolean success = loss.classification() ? Loss.separates(margins[j], ts.margin()) : r <= ts.tol();
                if (success && Double.isFinite(r)) status = ProbeStatus.SUCCESS;
                else if (!Double.isFinite(r) || r > TrainSpec.DIVERGED) status = ProbeStatus.DIVERGED;
                else {
                    s.observe(t, r);
                    boolean stalled = s.stalled(t); // checked with or without early stop, for a later budget
                    if (t == ts.steps()) status = ProbeStatus.FAIL;
                    else if (ts.earlyStop() && stalled) status = ProbeStatus.EARLY_FAIL;
                }
                if (status != null) {
                    if (float32 && !exported) {
                        f32.exportTo(net); // float32 parameters back for the diagnostics
                        exported = true;
                    }
                    s.finish(status, t, r, net, j, data, blas, relu);
                    finished = true;
                }
            }
            if (finished) {
                int[] keep = new int[count];
                int kept = 0;
                int[] slot = new int[count];
                for (int j = 0; j < live; j++) {
                    if (st[active[j]].status == null) {
                        slot[kept] = j;
                        keep[kept++] = active[j];
                    }
                }
                if (kept == 0) break;
                net = batchOf(specs, keep, kept, data, blas, net, slot);
                if (float32) f32 = new FloatNetwork(net);
                else grad = new double[net.size()];
                if (epoch != null) epoch = new SgdEpoch(net, f32, ts.batch(), first.seed(), loss);
                active = keep;
                live = kept;
                continue; // the remaining probes' step t again, in the smaller batch
            }
            if (epoch != null) {
                double[] lr = lrs.length == live ? lrs : (lrs = new double[live]);
                for (int j = 0; j < live; j++) lr[j] = st[active[j]].lr;
                epoch.run(t, lr);
                t++;
                continue;
            }
            if (float32) {
                for (int j = 0; j < live; j++) f32.descend(j, st[active[j]].lr);
                t++;
                continue;
            }
            double[] theta = net.theta();
            for (int j = 0; j < live; j++) {
                double lr = st[active[j]].lr;
                int[] from = net.segmentsFrom(j), to = net.segmentsTo(j);
                for (int s = 0; s < from.length; s++) {
                    for (int i = from[s]; i < to[s]; i++) theta[i] -= lr * grad[i];
                }
            }
            t++;
        }
        double setup = 0;
        for (State s : st) setup += s.secs;
        double overhead = Math.max(0, (System.nanoTime() - start) / 1e9 - setup) / count;
        List<Trained> out = new ArrayList<>(count);
        Provenance provenance = Provenance.here(blas);
        for (State s : st) out.add(s.outcome(provenance, overhead));
        return out;
    }

    /**
     * lambda_min of H(0), or NaN: a diagnostic never fails or holds up a probe ({@link Bounded}).
     * The network is the probe's own single copy, used by no one else meanwhile.
     */
    private static double lambdaMin(Network alone, int nk) {
        return Bounded.call("lambda_min of H(0)", () -> Eigen.symmetric(alone.ntkGram(), nk)[0])
                .orElse(Double.NaN);
    }

    /** A batch network of the given probes; parameters from {@code from} (slots) or fresh from the seeds. */
    private static Network batchOf(
            List<ProbeSpec> specs, int[] probes, int live, Dataset data, Blas blas, Network from, int[] slots) {
        int[] widths = new int[live];
        for (int j = 0; j < live; j++) widths[j] = specs.get(probes[j]).width();
        Network net = new Network(specs.get(0).model(), data, widths, blas);
        for (int j = 0; j < live; j++) {
            ProbeSpec s = specs.get(probes[j]);
            if (from != null) {
                net.copyProbe(j, from, slots[j]);
                continue;
            }
            net.initialise(j, Seeds.init(s.seed(), s.width()));
            if (s.resume() != null) setTrained(net, j, s.resume().theta());
        }
        return net;
    }

    /** Probe j's trained parameters, concatenated. */
    private static double[] trained(Network net, int j) {
        int[] from = net.segmentsFrom(j), to = net.segmentsTo(j);
        int len = 0;
        for (int s = 0; s < from.length; s++) len += to[s] - from[s];
        double[] out = new double[len];
        int o = 0;
        for (int s = 0; s < from.length; s++) {
            System.arraycopy(net.theta(), from[s], out, o, to[s] - from[s]);
            o += to[s] - from[s];
        }
        return out;
    }

    /** Sets probe j's trained parameters from {@link #trained}'s concatenation. */
    private static void setTrained(Network net, int j, double[] values) {
        int[] from = net.segmentsFrom(j), to = net.segmentsTo(j);
        int o = 0;
        for (int s = 0; s < from.length; s++) {
            System.arraycopy(values, o, net.theta(), from[s], to[s] - from[s]);
            o += to[s] - from[s];
        }
        if (o != values.length) throw new IllegalArgumentException("checkpoint of another shape: " + values.length);
    }

    /** Signs (z > 0) of every (sample, unit) pre-activation of every hidden layer of a single network. */
    private static boolean[] signs(Network net) {
        int layers = net.hiddenLayers();
        int per = net.preActivations(1).length;
        boolean[] s = new boolean[layers * per];
        for (int l = 1; l <= layers; l++) {
            double[] z = net.preActivations(l);
            for (int i = 0; i < per; i++) s[(l - 1) * per + i] = z[i] > 0;
        }
        return s;
    }

    /** One probe's progress and, once finished, its outcome. */
    private static final class State {
        final ProbeSpec spec;
        final double lambdaMax, lr;
        final double[] theta0;
        final boolean[] signs0;
        final int[] curveSteps = new int[64];
        final double[] curveLoss = new double[64];
        int curve, nextMark;
        /** Seconds in GD steps, and (continued probes) the earlier run's other seconds. */
        double secs, otherSecs;
        /** A continued probe's seconds before this run (0 for a probe from step 0). */
        double priorSecs;

        final int resumedFrom;
        double[] thetaEnd;
        ProbeStatus status;
        int steps;
        double lambdaMin = Double.NaN;
        double relLoss, relMove = Double.NaN, flip = Double.NaN, testLoss = Double.NaN, testAcc = Double.NaN;
        final LossWindow window;
        final int[] rungSteps;
        final double[] rungLoss;
        int rungs;
        int nextCheck = 2 * LossWindow.MIN_WINDOW;
        int stalledChecks;
        /** The last two early-stop checks, oldest first (null until made). */
        LossWindow.Check previous, latest;

        LossWindow.Evidence evidence;

        /** A probe from step 0 ({@code from} null) or continued from a checkpoint. */
        State(ProbeSpec spec, double lambdaMax, double lr, double[] theta0, boolean[] signs0, Checkpoint from) {
            int steps = spec.train().steps();
            this.rungSteps = new int[spec.train().budgets().size()];
            this.rungLoss = new double[spec.train().budgets().size()];
            this.spec = spec;
            this.lambdaMax = lambdaMax;
            this.lr = lr;
            this.theta0 = theta0;
            this.signs0 = signs0;
            if (from == null) {
                this.window = new LossWindow(steps);
                this.resumedFrom = 0;
                return;
            }
            this.resumedFrom = from.step();
            this.window = new LossWindow(steps, from.step(), from.windowRecent());
            this.lambdaMin = from.lambdaMin();
            this.secs = from.stepSecs();
            this.otherSecs = from.otherSecs();
            this.priorSecs = from.stepSecs() + from.otherSecs();
            curve = from.curveSteps().length;
            System.arraycopy(from.curveSteps(), 0, curveSteps, 0, curve);
            System.arraycopy(from.curveLoss(), 0, curveLoss, 0, curve);
            int lastMark = curveSteps[curve - 1];
            nextMark = lastMark == 0 ? 1 : 2 * lastMark;
            rungs = from.rungSteps().length;
            System.arraycopy(from.rungSteps(), 0, rungSteps, 0, rungs);
            System.arraycopy(from.rungLoss(), 0, rungLoss, 0, rungs);
            nextCheck = from.nextCheck();
            // The last checks again, for this budget: a larger one can only turn a stalled check
            // into another class, so no earlier pair of checks would have stopped a straight run.
            for (LossWindow.Check c : from.checks()) {
                previous = latest;
                latest = c;
                stalledChecks = c.stalled(steps) ? stalledChecks + 1 : 0;
            }
        }

        /** Records r(t) at t = 0, 1, 2, 4, 8, ... */
        void mark(int t, double r) {
            if (t != nextMark) return;
            curveSteps[curve] = t;
            curveLoss[curve++] = r;
            nextMark = t == 0 ? 1 : 2 * t;
        }

        void finish(ProbeStatus s, int t, double r, Network net, int j, Dataset data, Blas blas, boolean relu) {
            status = s;
            steps = t;
            relLoss = r;
            if (s == ProbeStatus.FAIL || s == ProbeStatus.EARLY_FAIL) {
                evidence = window.assess(spec.train().tol(), spec.train().steps());
                thetaEnd = trained(net, j);
                checkpointCurve = curve;
            }
            if (curveSteps[curve - 1] != t) {
                curveSteps[curve] = t;
                curveLoss[curve++] = r;
            }
            double[] theta = trained(net, j);
            double move = 0, base = 0;
            for (int i = 0; i < theta.length; i++) {
                double dl = theta[i] - theta0[i];
                move += dl * dl;
                base += theta0[i] * theta0[i];
            }
            relMove = base > 0 ? Math.sqrt(move / base) : Double.NaN;
            if (relu && Double.isFinite(r)) {
                Network alone = new Network(spec.model(), data, spec.width(), blas);
                alone.copyProbe(0, net, j);
                alone.forward();
                boolean[] signs1 = signs(alone);
                int changed = 0;
                for (int i = 0; i < signs0.length; i++) if (signs0[i] != signs1[i]) changed++;
                flip = (double) changed / signs0.length;
            }
            if (data.test() != null && Double.isFinite(r)) evaluate(net, j, data.test(), blas);
        }

        /** Relative loss and accuracy of probe j on the test set. */
        void evaluate(Network net, int j, Dataset test, Blas blas) {
            Network on = new Network(spec.model(), test, spec.width(), blas);
            on.copyProbe(0, net, j);
            int k = test.k();
            double[] f = new double[test.n() * k];
            on.predict(f);
            double[] y = test.y();
            double err = 0;
            int right = 0;
            Loss loss = spec.train().loss();
            if (loss.classification()) {
                double[] r = new double[k];
                for (int i = 0; i < test.n(); i++) err += loss.sample(f, i * k, y, i * k, k, r, 0);
            }
            for (int i = 0; i < test.n(); i++) {
                int best = 0;
                for (int c = 0; c < k; c++) {
                    double e = f[i * k + c] - y[i * k + c];
                    if (!loss.classification()) err += e * e;
                    if (f[i * k + c] > f[i * k + best]) best = c;
                }
                int predicted = k == 1 ? (f[i] >= 0 ? 0 : 1) : best;
                if (predicted == test.classOf()[i]) right++;
            }
            testLoss = err / (loss.classification() ? loss.zeroLoss(test) : test.targetNormSq());
            testAcc = (double) right / test.n();
        }

        int checkpointCurve;

        /** The result and, for a probe that stopped without success or divergence, its checkpoint. */
        Trained outcome(Provenance provenance, double overhead) {
            Checkpoint ck = thetaEnd == null
                    ? null
                    : new Checkpoint(
                            spec.probeId(),
                            spec.train().steps(),
                            steps,
                            thetaEnd,
                            lr,
                            lambdaMax,
                            lambdaMin,
                            secs,
                            otherSecs + overhead,
                            Arrays.copyOf(curveSteps, checkpointCurve),
                            Arrays.copyOf(curveLoss, checkpointCurve),
                            Arrays.copyOf(rungSteps, rungs),
                            Arrays.copyOf(rungLoss, rungs),
                            window.recent(),
                            nextCheck,
                            java.util.stream.Stream.of(previous, latest)
                                    .filter(java.util.Objects::nonNull)
                                    .toArray(LossWindow.Check[]::new));
            return new Trained(result(provenance, overhead), ck, priorSecs);
        }

        ProbeResult result(Provenance provenance, double overhead) {
            return new ProbeResult(
                    spec.probeId(),
                    spec.cellId(),
                    spec.width(),
                    spec.params(),
                    status,
                    steps,
                    relLoss,
                    lr,
                    finite(lambdaMin),
                    finite(lambdaMax),
                    finite(relMove),
                    finite(flip),
                    secs + otherSecs + overhead,
                    secs,
                    spec.train().precision(),
                    Arrays.copyOf(curveSteps, curve),
                    Arrays.copyOf(curveLoss, curve),
                    finite(testLoss),
                    finite(testAcc),
                    provenance,
                    spec.train().steps(),
                    status == ProbeStatus.SUCCESS ? OptionalInt.of(steps) : OptionalInt.empty(),
                    Arrays.copyOf(rungSteps, rungs),
                    Arrays.copyOf(rungLoss, rungs),
                    evidence == null ? OptionalDouble.empty() : finite(evidence.rate()),
                    evidence == null ? Optional.empty() : Optional.of(evidence.trend()),
                    evidence == null ? OptionalDouble.empty() : evidence.crossing(),
                    resumedFrom);
        }

        /** Records r(t) in the loss window and, at a budget of the ladder, as that rung's loss. */
        void observe(int t, double r) {
            window.add(t, r);
            List<Integer> budgets = spec.train().budgets();
            if (rungs < budgets.size() && budgets.get(rungs) == t) {
                rungSteps[rungs] = t;
                rungLoss[rungs++] = r;
            }
        }

        /**
         * At the early-stop checks (every window W, from step 2 W on): true once the loss was stalled
         * at two consecutive checks (docs/METHOD.md section 4).
         */
        boolean stalled(int t) {
            if (t == nextCheck) {
                nextCheck = t + LossWindow.window(t);
                previous = latest;
                latest = window.check(spec.train().tol());
                stalledChecks = latest.stalled(spec.train().steps()) ? stalledChecks + 1 : 0;
            }
            return stalledChecks >= 2;
        }
    }
}
