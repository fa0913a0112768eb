package org.widthlaw.lib;

import java.io.InputStream;
import java.util.Properties;

/** The project version, filled in at build time, as recorded in every probe row. */
public final class Version {
    private static final String VERSION = load();

    private Version() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            String v = p.getProperty("version", "unknown");
            String commit = System.getenv("WIDTHLAW_COMMIT");
            return commit == null || commit.isBlank() ? v : v + "+" + commit.trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
