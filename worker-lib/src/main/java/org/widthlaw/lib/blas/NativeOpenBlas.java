package org.widthlaw.lib.blas;

import java.io.File;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The OpenBLAS that the build brings in (org.bytedeco openblas, unpacked by JavaCPP into its cache,
 * {@code org.bytedeco.javacpp.cachedir}), handed to netlib's JNI backend through
 * {@code dev.ludovic.netlib.blas.nativeLibPath}. No system package is needed. A path already set
 * by the user is respected.
 */
final class NativeOpenBlas {
    static final String NETLIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
    private static final Logger LOG = Logger.getLogger(NativeOpenBlas.class.getName());
    private static volatile boolean loaded;
    private static boolean prepared;
    private static String libraryPath;
    private static OpenBlasInfo.Native info;

    private NativeOpenBlas() {}

    /** Unpacks and loads OpenBLAS, and points netlib at it. Returns false (and logs why) when it cannot. */
    static synchronized boolean prepare() {
        if (prepared) return loaded || System.getProperty(NETLIB_PATH) != null;
        prepared = true;
        if (Boolean.getBoolean("widthlaw.blas.java")) {
            LOG.warning("widthlaw.blas.java is set: native OpenBLAS not loaded");
            return false;
        }
        boolean userPath = System.getProperty(NETLIB_PATH) != null;
        try {
            // The preset with LAPACK: its libopenblas.so.0 serves netlib's BLAS and the eigen-solver.
            String jni = Loader.load(openblas.class);
            loaded = true;
            if (userPath) {
                libraryPath = System.getProperty(NETLIB_PATH);
                return true;
            }
            File dir = new File(jni).getParentFile();
            File lib = new File(dir, "libopenblas.so.0");
            if (!lib.isFile()) {
                LOG.warning("OpenBLAS loaded, but no libopenblas*.so.0 beside " + jni + ": netlib cannot use it");
                return false;
            }
            System.setProperty(NETLIB_PATH, lib.getAbsolutePath());
            libraryPath = lib.getAbsolutePath();
            return true;
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "native OpenBLAS could not be loaded: " + t);
            return false;
        }
    }

    /** Sets OpenBLAS's thread count (process-wide); a no-op without the native library. */
    static void setThreads(int threads) {
        if (!loaded) return;
        openblas.blas_set_num_threads(threads);
        lastSet = threads;
    }

    /** The library's own account of its version, build and kernel; "none" without the native library. */
    static synchronized OpenBlasInfo.Native info() {
        if (info == null) {
            if (!prepare() || !loaded || libraryPath == null) {
                info = new OpenBlasInfo.Native("none", "none");
            } else {
                try {
                    System.load(libraryPath); // already loaded by JavaCPP: this makes its symbols visible here
                    info = OpenBlasInfo.read();
                } catch (Throwable t) {
                    info = new OpenBlasInfo.Native("unknown (" + t + ")", "unknown");
                }
            }
        }
        return info;
    }

    static boolean loaded() {
        return loaded;
    }

    /**
     * OpenBLAS's thread count: as the library reports it, or, where it reports none (-1 before any
     * set), the last count set here, else its documented default (OPENBLAS_NUM_THREADS, then
     * OMP_NUM_THREADS, then the cores).
     */
    static int threads() {
        if (!loaded) return 1;
        int t = openblas.blas_get_num_threads();
        if (t >= 1) return t;
        if (lastSet >= 1) return lastSet;
        for (String env : new String[] {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"}) {
            try {
                int v = Integer.parseInt(System.getenv().getOrDefault(env, "").trim());
                if (v >= 1) return v;
            } catch (NumberFormatException e) {
                // not set, or not a number: the next source
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static volatile int lastSet = -1;
}
