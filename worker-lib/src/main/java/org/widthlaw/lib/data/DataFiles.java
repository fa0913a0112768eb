package org.widthlaw.lib.data;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.widthlaw.lib.Checks;

/**
 * The bounds on the data files a job reads (docs/ARCHITECTURE.md, "Job file", limits): each is a
 * regular file no larger than its kind allows, checked before a byte of it is read, so a wrong
 * path (a directory, {@code /dev/zero}, a file of gigabytes) is one error naming {@code data.path}
 * and the limit, never an exhausted heap or a read without end.
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

    private DataFiles() {}

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
