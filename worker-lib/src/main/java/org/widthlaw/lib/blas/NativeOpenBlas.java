package org.widthlaw.lib.blas;

import java.io.File;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

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

    private NativeOpenBlas() {}

    /** Unpacks and loads OpenBLAS, and points netlib at it. Returns false (and logs why) when it cannot. */
    static synchronized boolean prepare() {
        if (System.getProperty(NETLIB_PATH) != null) return true;
        if (Boolean.getBoolean("widthlaw.blas.java")) {
            LOG.warning("widthlaw.blas.java is set: native OpenBLAS not loaded");
            return false;
        }
        try {
            String jni = Loader.load(openblas_nolapack.class);
            File dir = new File(jni).getParentFile();
            File lib = new File(dir, "libopenblas_nolapack.so.0");
            if (!lib.isFile()) lib = new File(dir, "libopenblas.so.0");
            if (!lib.isFile()) {
                LOG.warning("OpenBLAS loaded, but no libopenblas*.so.0 beside " + jni + ": netlib cannot use it");
                return false;
            }
            System.setProperty(NETLIB_PATH, lib.getAbsolutePath());
            loaded = true;
            return true;
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "native OpenBLAS could not be loaded: " + t);
            return false;
        }
    }

    /** Sets OpenBLAS's thread count (process-wide); a no-op without the native library. */
    static void setThreads(int threads) {
        if (loaded) openblas_nolapack.blas_set_num_threads(threads);
    }

    static int threads() {
        return loaded ? openblas_nolapack.blas_get_num_threads() : 1;
    }
}
