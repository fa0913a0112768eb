package org.widthlaw.lib.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.widthlaw.lib.blas.Blas;

/**
 * The machine's own one-thread dgemm rate on a square product (default 2048), for scale-out
 * references: {@code GemmRate [size] [seconds]} multiplies for about that long on one BLAS thread
 * and prints the GFLOP/s it reached. Two of these run at once against one give the scaling the
 * machine allows (worker-lib/bench/scale-out.sh).
 */
public final class GemmRate {
    private GemmRate() {}

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        Blas blas = Blas.get();
        blas.setThreads(1);
        SplittableRandom rng = new SplittableRandom(1);
        double[] a = new double[size * size], b = new double[size * size], c = new double[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble(-1, 1);
            b[i] = rng.nextDouble(-1, 1);
        }
        blas.gemm(false, false, size, size, size, 1, a, 0, size, b, 0, size, 0, c, 0, size); // warm-up
        long t0 = System.nanoTime();
        int products = 0;
        while ((System.nanoTime() - t0) / 1e9 < seconds) {
            blas.gemm(false, false, size, size, size, 1, a, 0, size, b, 0, size, 0, c, 0, size);
            products++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "dgemm %d: %.1f GFLOP/s (%d products in %.1f s, %s)%n",
                size,
                2.0 * size * size * (double) size * products / secs / 1e9,
                products,
                secs,
                blas.name());
    }
}
