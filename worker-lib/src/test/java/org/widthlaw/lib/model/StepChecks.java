package org.widthlaw.lib.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;

/** Checks of a batch's training step that the tests of every family share. */
public final class StepChecks {
    private StepChecks() {}

    /** Every trained parameter index of probe j. */
    public static int[] trained(Network net, int j) {
        return IntStream.range(0, net.segmentsFrom(j).length)
                .flatMap(s -> IntStream.range(net.segmentsFrom(j)[s], net.segmentsTo(j)[s]))
                .toArray();
    }

    /**
     * The float32 step of {@code net} against its float64 step, at the current parameters: every probe's
     * loss to 1e-4 relative, every trained gradient entry to 1e-4 of the largest one.
     */
    public static void assertFloat32MatchesFloat64(Network net) {
        int b = net.probes();
        double[] g64 = new double[net.size()];
        double[] s64 = new double[b];
        net.lossAndGradient(g64, s64);
        FloatNetwork f = new FloatNetwork(net);
        double[] s32 = new double[b];
        f.lossAndGradient(s32);
        double scale = 0;
        for (int j = 0; j < b; j++) for (int i : trained(net, j)) scale = Math.max(scale, Math.abs(g64[i]));
        for (int j = 0; j < b; j++) {
            assertEquals(s64[j], s32[j], 1e-4 * s64[j]);
            for (int i : trained(net, j)) assertEquals(g64[i], f.gradient()[i], 1e-4 * scale, "parameter " + i);
        }
    }

    /** Bytes this thread allocates in 100 float64 steps of {@code net}, after 200 to warm up (JIT, native library). */
    public static long bytesOf100Steps(Network net) {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        double[] grad = new double[net.size()];
        double[] ss = new double[net.probes()];
        for (int i = 0; i < 200; i++) net.lossAndGradient(grad, ss);
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) net.lossAndGradient(grad, ss);
        return mx.getCurrentThreadAllocatedBytes() - before;
    }
}
