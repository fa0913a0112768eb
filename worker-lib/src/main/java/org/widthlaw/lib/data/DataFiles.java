package org.widthlaw.lib.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where data files are read from (docs/ARCHITECTURE.md, "Distribution"): the bytes a driver read
 * once and shipped, when registered under the file's name, otherwise the local file system. The
 * driver reads a job's data files through Hadoop's FileSystem API (any URI), registers them here and
 * broadcasts them; executors register the broadcast bytes before building a data set, so no
 * executor opens a path of its own disk.
 */
public final class DataFiles {
    private static final Map<String, byte[]> SHIPPED = new ConcurrentHashMap<>();

    private DataFiles() {}

    /** Registers the bytes of the file named {@code path} (a URI or a local path, as the job names it). */
    public static void register(String path, byte[] bytes) {
        SHIPPED.put(path, bytes);
    }

    /** Registers every file of a shipped set. */
    public static void registerAll(Map<String, byte[]> files) {
        SHIPPED.putAll(files);
    }

    /** The registered bytes of a file, or null. */
    public static byte[] shipped(String path) {
        return SHIPPED.get(path);
    }

    /** Opens a data file: its registered bytes, else the local file. */
    public static InputStream open(String path) throws IOException {
        byte[] b = SHIPPED.get(path);
        return b != null ? new ByteArrayInputStream(b) : Files.newInputStream(Path.of(path));
    }
}
