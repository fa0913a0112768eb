package org.widthlaw.lib.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Network;
import org.widthlaw.lib.model.Trained;

/**
 * One GD step (loss and gradient, float64, one BLAS thread) per architecture and shape, and the
 * same step's matrix products alone. {@link #main} runs both and prints GFLOP/s and the fraction
 * of the products-only rate the full step reaches.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1)
public class StepBench {
    @Param({"two-layer:2", "fc:2", "fc:4", "resnet:3", "resnet:4"})
    public String arch;

    @Param({"1000x10x100", "4000x100x1000", "8192x784x512"})
    public String shape;

    @Param({"1"})
    public int threads;

    Network net;
    double[] grad;
    double[] ss;

    @Setup(Level.Trial)
    public void setUp() {
        String[] a = arch.split(":");
        int[] s = shape(shape);
        ModelSpec spec = new ModelSpec(
                Arch.of(a[0], "arch"), Integer.parseInt(a[1]), Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
        Dataset data = Datasets.build(DataSpec.sphere(s[1], Labels.RANDOM, 1), s[0], 1);
        Blas.get().setThreads(threads);
        net = new Network(spec, data, s[2], Blas.get());
        net.initialise(7);
        grad = new double[net.size()];
        ss = new double[1];
    }

    static int[] shape(String s) {
        String[] p = s.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    @Benchmark
    public double step() {
        net.matrixProductsOnly(false);
        net.lossAndGradient(grad, ss);
        return ss[0];
    }

    @Benchmark
    public double products() {
        net.matrixProductsOnly(true);
        net.lossAndGradient(grad, ss);
        return ss[0];
    }

    /** Runs the benchmarks (JMH options may be given, e.g. -p shape=1000x10x100) and prints the table. */
    public static void main(String[] args) throws Exception {
        Options cli = new CommandLineOptions(args);
        OptionsBuilder ob = new OptionsBuilder();
        if (cli.getIncludes().isEmpty()) ob.include(StepBench.class.getName()).include(BatchBench.class.getName());
        Options opts = ob.parent(cli).build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, double[]> rows = new TreeMap<>();
        Map<Integer, double[]> batch = new TreeMap<>();
        for (RunResult r : results) {
            var bp = r.getParams();
            if (bp.getBenchmark().contains("BatchBench")) {
                double[] row = batch.computeIfAbsent(Integer.parseInt(bp.getParam("m")), k -> new double[2]);
                row[bp.getBenchmark().endsWith("batched") ? 0 : 1] =
                        r.getPrimaryResult().getScore();
                continue;
            }
            var p = r.getParams();
            String key = p.getParam("arch") + " " + p.getParam("shape") + " t" + p.getParam("threads");
            double ms = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            double[] row = rows.computeIfAbsent(key, k -> new double[4]);
            if (p.getBenchmark().endsWith("step")) {
                row[0] = ms;
                row[1] = err;
            } else {
                row[2] = ms;
                row[3] = err;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n%-34s %12s %10s %12s %10s %9s%n",
                "arch:L (n x d x m) threads",
                "step ms",
                "GFLOP/s",
                "products ms",
                "GFLOP/s",
                "fraction");
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            String[] k = e.getKey().split(" ");
            String[] a = k[0].split(":");
            int[] s = shape(k[1]);
            ModelSpec spec = new ModelSpec(
                    Arch.of(a[0], "arch"), Integer.parseInt(a[1]), Trained.HIDDEN, Activation.RELU, Double.NaN, 0.5);
            double flops = spec.flopsPerStep(s[0], s[1], 1, s[2]);
            double[] v = e.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "%-34s %7.3f±%-4.2f %10.1f %7.3f±%-4.2f %10.1f %9.2f%n",
                    e.getKey(),
                    v[0],
                    v[1],
                    flops / v[0] / 1e6,
                    v[2],
                    v[3],
                    flops / v[2] / 1e6,
                    v[2] / v[0]);
        }
        if (!batch.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "%n8 two-layer probes, n=1000 d=10, one step each%n%-6s %14s %14s %12s%n",
                    "m",
                    "batched us",
                    "one-by-one us",
                    "throughput");
            for (Map.Entry<Integer, double[]> e : batch.entrySet()) {
                double[] v = e.getValue();
                System.out.printf(Locale.ROOT, "%-6d %14.1f %14.1f %11.2fx%n", e.getKey(), v[0], v[1], v[1] / v[0]);
            }
        }
    }
}
