package org.widthlaw.lib;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The project version and the commit it was built from, both written into version.properties by
 * the build (so spark-submit runs carry them too), as recorded in every probe row.
 */
public final class Version {
    private static final Properties BUILD = load();

    private Version() {}

    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return BUILD.getProperty("version", "unknown");
    }

    /**
     * The abbreviated commit the classes were built from, with "-dirty" when the working tree had
     * uncommitted changes, or "unknown" (a build outside git).
     */
    public static String commit() {
        String c = BUILD.getProperty("commit", "");
        if (c.isBlank() || c.startsWith("${")) return "unknown";
        return c.trim() + ("true".equals(BUILD.getProperty("dirty", "").trim()) ? "-dirty" : "");
    }

    /** Version and commit, e.g. {@code 0.1.0-SNAPSHOT+99b6511}. */
    public static String get() {
        return commit().equals("unknown") ? version() : version() + "+" + commit();
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // an unreadable resource leaves the version unknown
        }
        return p;
    }
}
