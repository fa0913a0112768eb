package org.widthlaw.lib.train;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.widthlaw.lib.Version;
import org.widthlaw.lib.blas.Blas;

/**
 * Where and with what a probe was trained: the code version and commit (from the build), the Java
 * runtime, the operating system, the CPU model, the BLAS backend that ran, the native library's
 * own account of itself and the kernel it chose, the BLAS thread count, the host and the Spark
 * attempt. With the probe's spec this is enough to re-run it and to explain a difference.
 */
public record Provenance(
        String codeVersion,
        String commit,
        String java,
        String os,
        String cpu,
        String blas,
        String blasLibrary,
        String blasKernel,
        int blasThreads,
        String host,
        int attempt)
        implements Serializable {
    private static final String JAVA =
            System.getProperty("java.vendor", "?") + " " + System.getProperty("java.version", "?");
    private static final String OS = System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "?")
            + " " + System.getProperty("os.arch", "?");
    private static final String CPU = cpuModel();
    private static final String HOST = hostName();

    /** This JVM, with the backend's state now; attempt 0 (the Spark task sets its own). */
    public static Provenance here(Blas blas) {
        return new Provenance(
                Version.get(),
                Version.commit(),
                JAVA,
                OS,
                CPU,
                blas.name(),
                blas.library(),
                blas.kernel(),
                blas.threads(),
                HOST,
                0);
    }

    public Provenance withAttempt(int a) {
        return new Provenance(codeVersion, commit, java, os, cpu, blas, blasLibrary, blasKernel, blasThreads, host, a);
    }

    /** The first "model name" of /proc/cpuinfo (Linux), else the architecture. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name"))
                    return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable
        }
        return System.getProperty("os.arch", "unknown");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
