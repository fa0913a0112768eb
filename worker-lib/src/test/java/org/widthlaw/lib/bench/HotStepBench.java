package org.widthlaw.lib.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.FloatNetwork;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Network;
import org.widthlaw.lib.model.Trained;

/**
 * The training step of the hot case (two-layer ReLU, only W trained, k = 1) at sweep shapes, one
 * BLAS thread, float64 and float32, by the fused path and by the BLAS path (system property
 * {@code widthlaw.fused=false}, set before the network is built in each forked JVM).
 * {@link #main} prints one line per case: {@code hot SHAPE PRECISION PATH MS GFLOPS}, for
 * worker-lib/bench/hot-step.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class HotStepBench {
    @Param({"400x10x100", "1600x10x400"})
    public String shape;

    @Param({"float64", "float32"})
    public String precision;

    @Param({"fused", "blas"})
    public String path;

    Network net;
    FloatNetwork f32;
    double[] grad;
    double[] ss;

    static ModelSpec spec() {
        return new ModelSpec(Arch.TWO_LAYER, 2, Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
    }

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("widthlaw.fused", String.valueOf(path.equals("fused")));
        int[] s = StepBench.shape(shape);
        Dataset data = Datasets.build(DataSpec.sphere(s[1], Labels.RANDOM, 1), s[0], 1);
        Blas.get().setThreads(1);
        net = new Network(spec(), data, s[2], Blas.get());
        net.initialise(7);
        grad = new double[net.size()];
        ss = new double[1];
        if (precision.equals("float32")) f32 = new FloatNetwork(net);
    }

    @Benchmark
    public double step() {
        if (f32 != null) f32.lossAndGradient(ss);
        else net.lossAndGradient(grad, ss);
        return ss[0];
    }

    public static void main(String[] args) throws Exception {
        var opts = new OptionsBuilder()
                .include(HotStepBench.class.getName())
                .parent(new CommandLineOptions(args))
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        for (RunResult r : results) {
            var p = r.getParams();
            int[] s = StepBench.shape(p.getParam("shape"));
            double ms = r.getPrimaryResult().getScore();
            System.out.printf(
                    Locale.ROOT,
                    "hot %s %s %s %.5f %.2f%n",
                    p.getParam("shape"),
                    p.getParam("precision"),
                    p.getParam("path"),
                    ms,
                    spec().flopsPerStep(s[0], s[1], 1, s[2]) / ms / 1e6);
        }
    }
}
