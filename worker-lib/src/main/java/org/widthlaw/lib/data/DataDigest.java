package org.widthlaw.lib.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.widthlaw.lib.Checks;

/**
 * What a data set's content is, independent of where it lies: the SHA-256 of the bytes of its
 * files (docs/ARCHITECTURE.md, "Exactly once and resume"). The job hash covers it instead of the
 * path, so the same job resumes from another checkout, and other bytes under the same path give
 * another hash.
 */
public final class DataDigest {
    /** The digest of generated data (sphere): its spec is its content. */
    public static final String GENERATED = "generated";

    private DataDigest() {}

    /**
     * Hex of the first 16 bytes of SHA-256 over the data's files, in a fixed order (csv: the file;
     * fashion-mnist: the four IDX files); {@link #GENERATED} for sphere data. A file that cannot be
     * read, is not a regular file or is larger than {@link DataFiles} allows is an error naming
     * {@code data.path}.
     */
    /** The files a data set is read from, as the job names them: none for generated data. */
    public static List<String> files(DataSpec spec) {
        return switch (spec.kind()) {
            case SPHERE -> List.of();
            case CSV -> List.of(spec.path());
            case FASHION_MNIST -> FashionMnist.files(spec.path());
        };
    }

    /** Whether a data path names a local file (no URI scheme) rather than one for Hadoop to read. */
    public static boolean local(String path) {
        return !path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    }

    /**
     * Checks a data set's local files before anything reads them: the Fashion-MNIST folder is a
     * folder, and every file is a regular file within its kind's size bound (one error naming
     * {@code data.path} otherwise). Files named by URIs are bounded where they are read.
     */
    public static void checkLocal(DataSpec spec) {
        List<String> files = files(spec);
        if (files.isEmpty() || !local(spec.path())) return;
        long max = spec.kind() == DataKind.FASHION_MNIST ? DataFiles.MAX_IDX_BYTES : DataFiles.MAX_CSV_BYTES;
        if (spec.kind() == DataKind.FASHION_MNIST) {
            Path dir = Path.of(spec.path());
            if (!Files.exists(dir)) {
                throw Checks.invalid(
                        "data.path",
                        "file not found: " + dir
                                + " (the fashion-mnist directory: install Debian's dataset-fashion-mnist, or set data.path)");
            }
            if (!Files.isDirectory(dir))
                throw Checks.invalid(
                        "data.path", dir + " is not a directory: fashion-mnist reads its four IDX files from one");
        }
        // Bounded before a byte is read: a device or a file of gigabytes is an error, not a read without end.
        for (String f : files) DataFiles.regular(Path.of(f), max);
    }

    public static String of(DataSpec spec) {
        List<String> files = files(spec);
        if (files.isEmpty()) return GENERATED;
        long max = spec.kind() == DataKind.FASHION_MNIST ? DataFiles.MAX_IDX_BYTES : DataFiles.MAX_CSV_BYTES;
        if (files.stream().anyMatch(f -> DataFiles.shipped(f) == null)) checkLocal(spec);
        for (String f : files) DataFiles.checked(f, max);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (String f : files) {
                try (InputStream in = new DigestInputStream(DataFiles.open(f), md)) {
                    while (in.read(buffer) >= 0) {
                        // the digest sees every byte
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchFileException e) {
            throw Checks.invalid("data.path", "file not found: " + e.getFile());
        } catch (IOException e) {
            throw Checks.invalid("data.path", "cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
