package org.widthlaw.lib.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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

    public static Array read(Path file) {
        return read(file.toString());
    }

    /** Reads an IDX file named as the job names it (a local path or a URI; see {@link DataFiles}). */
    public static Array read(String file) {
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
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 8)
                throw Checks.invalid("data.path", file + ": too large (" + total + " elements)");
            byte[] bytes = new byte[(int) total];
            data.readFully(bytes);
            return new Array(dims, bytes);
        } catch (NoSuchFileException e) {
            throw Checks.invalid(
                    "data.path", file + " not found (install Debian's dataset-fashion-mnist, or set data.path)");
        } catch (EOFException e) {
            throw Checks.invalid("data.path", file + " ends before its header says it should");
        } catch (IOException e) {
            throw Checks.invalid("data.path", "cannot read " + file + ": " + e.getMessage());
        }
    }
}
