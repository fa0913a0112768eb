package org.widthlaw.lib;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.logging.Logger;

/**
 * Runs a diagnostic under a time limit. A diagnostic is evidence beside a result, never the
 * result: when it fails, returns a non-finite value or does not finish in time, the answer is
 * empty and the caller goes on (the probe row holds null). The computation runs on a daemon
 * thread; one that overruns is interrupted and abandoned, so it can cost CPU but never stop a
 * sweep.
 */
public final class Bounded {
    /** System property: the limit per diagnostic in seconds (default {@link #DEFAULT_SECS}). */
    public static final String TIMEOUT_PROPERTY = "widthlaw.diagnostic.timeout.secs";

    public static final double DEFAULT_SECS = 600;

    private static final Logger LOG = Logger.getLogger(Bounded.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "widthlaw-diagnostic-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private Bounded() {}

    /** The limit in force: {@value #TIMEOUT_PROPERTY} if set to a positive number, else the default. */
    public static Duration limit() {
        String v = System.getProperty(TIMEOUT_PROPERTY);
        double secs = DEFAULT_SECS;
        if (v != null) {
            try {
                secs = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                secs = DEFAULT_SECS;
            }
            if (!(secs > 0) || Double.isInfinite(secs)) secs = DEFAULT_SECS;
        }
        return Duration.ofMillis((long) (secs * 1000));
    }

    /** The value of {@code what}, or empty when it throws, is not finite or takes longer than the limit. */
    public static OptionalDouble call(String name, DoubleSupplier what) {
        return call(name, what, limit());
    }

    public static OptionalDouble call(String name, DoubleSupplier what, Duration limit) {
        Future<Double> f = POOL.submit(what::getAsDouble);
        try {
            double v = f.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
        } catch (TimeoutException e) {
            f.cancel(true);
            LOG.warning(name + " did not finish within " + limit.toMillis() / 1000.0 + " s: recorded as absent");
            return OptionalDouble.empty();
        } catch (ExecutionException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }
}
