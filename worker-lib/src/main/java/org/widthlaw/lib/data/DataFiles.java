package org.widthlaw.lib.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.widthlaw.lib.Checks;

/**
 * Where data files are read from, and how large they may be (docs/ARCHITECTURE.md,
 * "Distribution" and "Job file"). A file is read from the bytes a driver read once and shipped,
 * when they are registered under the file's name, otherwise from the local file system: the
 * driver reads a job's data files through Hadoop's FileSystem API (any URI), registers them here
 * and broadcasts them; executors register the broadcast bytes before building a data set, so no
 * executor opens a path of its own disk. Every file is bounded before a byte of it is read, so a
 * wrong path (a directory, {@code /dev/zero}, a file of gigabytes) is one error naming
 * {@code data.path} and the limit, never an exhausted heap or a read without end.
 */
public final class DataFiles {
    /** The largest CSV file read, in bytes. */
    public static final long MAX_CSV_BYTES = 256L << 20;
    /**
     * The largest IDX file read (as stored, gzip-compressed or not), and the largest array an IDX
     * header may declare, in bytes. Fashion-MNIST's largest array holds 47 040 000.
     */
    public static final long MAX_IDX_BYTES = 128L << 20;
    /** The most numbers (rows times columns) a CSV file may hold: 512 MiB as doubles. */
    public static final long MAX_CSV_VALUES = 1L << 26;
    /** The longest CSV line read, in characters (a row of 101 000 long numbers fits). */
    public static final int MAX_LINE_CHARS = 8 << 20;

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

    /**
     * Checks that the file named {@code path} holds at most {@code maxBytes} bytes (shipped bytes,
     * or a regular local file) and returns its size; otherwise an error naming {@code data.path}.
     */
    public static long checked(String path, long maxBytes) {
        byte[] b = SHIPPED.get(path);
        if (b == null) return regular(Path.of(path), maxBytes);
        if (b.length > maxBytes) {
            throw Checks.invalid(
                    "data.path", path + " is " + b.length + " bytes; at most " + bytes(maxBytes) + " are read");
        }
        return b.length;
    }

    /**
     * Checks that {@code file} is a regular file of at most {@code maxBytes} bytes and returns its
     * size; otherwise an error naming {@code data.path}, the file and what is allowed.
     */
    public static long regular(Path file, long maxBytes) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw Checks.invalid("data.path", file + " not found");
        } catch (FileSystemException e) {
            throw Checks.invalid("data.path", "cannot read " + file + ": " + e.getReason());
        } catch (IOException e) {
            throw Checks.invalid("data.path", "cannot read " + file + ": " + e.getMessage());
        }
        if (a.isDirectory()) throw Checks.invalid("data.path", file + " is a directory, not a file");
        if (!a.isRegularFile()) {
            throw Checks.invalid(
                    "data.path",
                    file + " is not a regular file (data files are read twice: a device or pipe cannot be)");
        }
        if (a.size() > maxBytes) {
            throw Checks.invalid(
                    "data.path", file + " is " + a.size() + " bytes; at most " + bytes(maxBytes) + " are read");
        }
        return a.size();
    }

    /** A byte count for messages: {@code 268435456 (256 MiB)}. */
    static String bytes(long n) {
        return n + " (" + (n >> 20) + " MiB)";
    }
}
