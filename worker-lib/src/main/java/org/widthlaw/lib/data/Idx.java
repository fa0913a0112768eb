package org.widthlaw.lib.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.widthlaw.lib.Checks;

/**
 * Reads IDX files (LeCun's MNIST format, gzip-compressed or not): a magic number whose third byte
 * is the element type (0x08, unsigned byte) and whose fourth is the number of dimensions, the
 * dimensions as big-endian ints, then the data.
 */
public final class Idx {
    private Idx() {}

    /** An IDX array of unsigned bytes: its dimensions and its data, row-major. */
    public record Array(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }

        /** Elements per item: the product of the dimensions after the first. */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) s *= dims[i];
            return s;
        }
    }

    /**
     * Reads {@code file}: a regular file of at most {@link DataFiles#MAX_IDX_BYTES} whose header
     * declares at most as many bytes (checked before anything is allocated; the array then grows
     * with the bytes actually read, so a header that lies costs no more than the file holds).
     */
    public static Array read(Path file) {
        return read(file.toString());
    }

    /** Reads an IDX file named as the job names it (a local path or a URI; see {@link DataFiles}). */
    public static Array read(String file) {
        if (DataFiles.shipped(file) == null && Files.notExists(Path.of(file))) throw notFound(file);
        DataFiles.checked(file, DataFiles.MAX_IDX_BYTES);
        try (InputStream raw = DataFiles.open(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                DataInputStream data = new DataInputStream(in)) {
            int magic = data.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
                throw Checks.invalid(
                        "data.path",
                        file + " is not an IDX file of unsigned bytes (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int nd = magic & 0xFF;
            if (nd < 1 || nd > 4)
                throw Checks.invalid("data.path", file + ": IDX with " + nd + " dimensions is not supported");
            int[] dims = new int[nd];
            long total = 1;
            for (int i = 0; i < nd; i++) {
                dims[i] = data.readInt();
                if (dims[i] < 0) throw Checks.invalid("data.path", file + ": negative dimension " + dims[i]);
                // Saturates instead of overflowing: four dimensions below 2^31 can pass 2^63.
                total = total > DataFiles.MAX_IDX_BYTES ? total : total * dims[i];
            }
            if (total > DataFiles.MAX_IDX_BYTES) {
                StringBuilder shape = new StringBuilder();
                for (int dim : dims)
                    shape.append(shape.length() == 0 ? "" : " x ").append(dim);
                throw Checks.invalid(
                        "data.path",
                        file + ": its header declares " + shape + " bytes; at most "
                                + DataFiles.bytes(DataFiles.MAX_IDX_BYTES) + " are read");
            }
            byte[] bytes = data.readNBytes((int) total);
            if (bytes.length < total) throw endsEarly(file);
            return new Array(dims, bytes);
        } catch (NoSuchFileException e) {
            throw notFound(file);
        } catch (EOFException e) {
            throw endsEarly(file);
        } catch (IOException e) {
            throw Checks.invalid("data.path", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Checks.InvalidValue notFound(String file) {
        return Checks.invalid(
                "data.path", file + " not found (install Debian's dataset-fashion-mnist, or set data.path)");
    }

    private static Checks.InvalidValue endsEarly(String file) {
        return Checks.invalid("data.path", file + " ends before its header says it should");
    }
}
