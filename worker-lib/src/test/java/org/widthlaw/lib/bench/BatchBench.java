package org.widthlaw.lib.bench;

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
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Network;

/**
 * Throughput of {@code probes} two-layer probes of width m on one cell's data (n = 1000, d = 10),
 * one GD step each: as one batch network, or one network after another.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1)
public class BatchBench {
    @Param({"8", "16", "32", "64"})
    public int m;

    @Param({"8"})
    public int probes;

    Network batch;
    Network[] singles;
    double[] grad;
    double[][] grads;
    double[] ss;

    @Setup(Level.Trial)
    public void setUp() {
        Dataset data = Datasets.build(DataSpec.sphere(10, Labels.RANDOM, 1), 1000, 1);
        ModelSpec spec = ModelSpec.twoLayer();
        Blas.get().setThreads(1);
        int[] widths = new int[probes];
        java.util.Arrays.fill(widths, m);
        batch = new Network(spec, data, widths, Blas.get());
        singles = new Network[probes];
        grads = new double[probes][];
        for (int j = 0; j < probes; j++) {
            batch.initialise(j, j);
            singles[j] = new Network(spec, data, m, Blas.get());
            singles[j].initialise(j);
            grads[j] = new double[singles[j].size()];
        }
        grad = new double[batch.size()];
        ss = new double[probes];
    }

    @Benchmark
    public double batched() {
        batch.lossAndGradient(grad, ss);
        return ss[0];
    }

    @Benchmark
    public double oneByOne() {
        double s = 0;
        for (int j = 0; j < probes; j++) {
            singles[j].lossAndGradient(grads[j], ss);
            s += ss[0];
        }
        return s;
    }
}
