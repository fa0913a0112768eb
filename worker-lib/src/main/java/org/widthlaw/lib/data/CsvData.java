package org.widthlaw.lib.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.Plural;
import org.widthlaw.lib.Seeds;

/**
 * A user's CSV file: one row a sample, d feature columns then k label columns, comma-separated;
 * blank lines are skipped. The first row is a header when {@link CsvHeader} says so: by default
 * exactly when every field is text, and a first row mixing numbers and text is an error. The first
 * data row sets the file's column count, which must be d + k ({@code data.d}). Bad rows (wrong
 * column count, non-numbers, NaN or infinity, an all-zero feature vector) are errors naming file,
 * line and column. Cells take the first n rows of a seeded permutation (nested in n); inputs are
 * normalised. The file, its lines and its numbers are bounded ({@link DataFiles}) before they are
 * held, and its text must be UTF-8.
 */
public final class CsvData {
    private record Table(int rows, double[] x, double[] y) {}

    private static final Map<String, Table> CACHE = new ConcurrentHashMap<>();

    private CsvData() {}

    /**
     * The input dimension of {@code file} when d is not given: the column count of its first data
     * row less the {@code outputs} label columns. Reads only up to that row; the first row is
     * judged by {@code header}. An error naming {@code data.d} when no feature column is left.
     */
    public static int features(Path file, CsvHeader header, int outputs) {
        return features(file.toString(), header, outputs);
    }

    /** The same for a file named as the job names it (a local path or a URI). */
    public static int features(String file, CsvHeader header, int outputs) {
        int columns = read(file, lines -> {
            String[] cells = firstData(lines, file, header);
            if (cells == null) throw noSamples(file);
            return cells.length;
        });
        if (columns <= outputs) {
            throw Checks.invalid(
                    "data.d",
                    "cannot be inferred: " + file + " has " + columns + " column" + (columns == 1 ? "" : "s")
                            + " and data.outputs takes " + outputs + " label column" + (outputs == 1 ? "" : "s")
                            + ", leaving no feature column");
        }
        return columns - outputs;
    }

    /** Reads and checks the whole file; returns the number of samples. */
    static int rows(DataSpec spec) {
        return table(spec).rows();
    }

    static Dataset build(DataSpec spec, int n, long cellSeed) {
        Table t = table(spec);
        if (n > t.rows())
            throw Checks.invalid("grid.n", spec.path() + " has " + Plural.of(t.rows(), "sample") + ", asked for " + n);
        int d = spec.d(), k = spec.outputs();
        int[] order = FashionMnist.permutation(t.rows(), new SplittableRandom(Seeds.data(cellSeed)));
        double[] x = new double[n * d];
        double[] y = new double[n * k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(t.x(), order[i] * d, x, i * d, d);
            System.arraycopy(t.y(), order[i] * k, y, i * k, k);
        }
        return new Dataset(n, d, k, x, y);
    }

    private static Table table(DataSpec spec) {
        return CACHE.computeIfAbsent(
                spec.path() + "|" + spec.d() + "|" + spec.outputs() + "|"
                        + spec.header().id(),
                key -> parse(spec.path(), spec.d(), spec.outputs(), spec.header()));
    }

    private static Table parse(String file, int d, int k, CsvHeader header) {
        int width = d + k;
        List<double[]> rows = read(file, lines -> {
            List<double[]> out = new ArrayList<>();
            String[] cells = firstData(lines, file, header);
            if (cells == null) throw noSamples(file);
            if (cells.length != width) {
                throw Checks.invalid(
                        "data.d",
                        "is " + d + ", and with " + Plural.of(k, "label column") + " the rows need "
                                + Plural.of(width, "column") + ", but " + file + " has " + cells.length + " (line "
                                + lines.number() + ", the first data row)"
                                + (cells.length > k ? "; leave d out to take " + (cells.length - k) : ""));
            }
            for (; cells != null; cells = lines.next()) {
                if ((long) (out.size() + 1) * width > DataFiles.MAX_CSV_VALUES) {
                    throw bad(
                            file,
                            lines.number(),
                            1,
                            "the file holds more than " + DataFiles.MAX_CSV_VALUES
                                    + " numbers (rows x columns), the most that are read");
                }
                out.add(row(file, lines.number(), cells, d, k));
            }
            return out;
        });
        double[] x = new double[rows.size() * d];
        double[] y = new double[rows.size() * k];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, x, i * d, d);
            System.arraycopy(rows.get(i), d, y, i * k, k);
        }
        return new Table(rows.size(), x, y);
    }

    /** One data row, checked: the features normalised, the labels as given. */
    private static double[] row(String file, int lineNo, String[] cells, int d, int k) {
        int width = d + k;
        if (cells.length != width) {
            throw bad(
                    file,
                    lineNo,
                    Math.min(cells.length, width) + 1,
                    "has " + Plural.of(cells.length, "column") + ", expected " + width + " (" + Plural.of(d, "feature")
                            + ", " + Plural.of(k, "label") + ")");
        }
        double[] v = new double[width];
        for (int c = 0; c < width; c++) {
            String s = cells[c].strip();
            try {
                v[c] = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw bad(file, lineNo, c + 1, "'" + s + "' is not a number");
            }
            if (!Double.isFinite(v[c])) throw bad(file, lineNo, c + 1, "'" + s + "' is not a finite number");
        }
        double norm = 0;
        for (int c = 0; c < d; c++) norm += v[c] * v[c];
        if (norm == 0) throw bad(file, lineNo, 1, "the feature vector is all zeros and cannot be normalised");
        double inv = 1 / Math.sqrt(norm);
        for (int c = 0; c < d; c++) v[c] *= inv;
        return v;
    }

    /**
     * The fields of the first data row (null if there is none), past the first row when that is a
     * header. Under {@code auto} the first row is a header when every field is text, data when
     * every field is a number, and an error naming the first column whose kind differs from the
     * first column's otherwise.
     */
    private static String[] firstData(Lines lines, String file, CsvHeader header) throws IOException {
        String[] cells = lines.next();
        if (cells == null) return null;
        boolean skip = switch (header) {
            case PRESENT -> true;
            case ABSENT -> false;
            case AUTO -> {
                List<Integer> numbers = new ArrayList<>();
                List<Integer> text = new ArrayList<>();
                boolean firstIsNumber = isNumber(cells[0]);
                int conflict = 0;
                for (int c = 0; c < cells.length; c++) {
                    boolean number = isNumber(cells[c]);
                    (number ? numbers : text).add(c + 1);
                    if (conflict == 0 && number != firstIsNumber) conflict = c + 1;
                }
                if (conflict > 0) {
                    throw bad(
                            file,
                            lines.number(),
                            conflict,
                            "the first row mixes text (" + columns(text) + ") and numbers (" + columns(numbers)
                                    + "); a header must be all text and a data row all numbers"
                                    + " (data.header: true or false decides)");
                }
                yield numbers.isEmpty();
            }
        };
        return skip ? lines.next() : cells;
    }

    private static boolean isNumber(String field) {
        try {
            Double.parseDouble(field.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Column numbers for a message, runs shortened: {@code column 2}, {@code columns 1, 3-5}. */
    static String columns(List<Integer> cols) {
        StringBuilder b = new StringBuilder(cols.size() == 1 ? "column " : "columns ");
        for (int i = 0; i < cols.size(); ) {
            int j = i;
            while (j + 1 < cols.size() && cols.get(j + 1) == cols.get(j) + 1) j++;
            if (i > 0) b.append(", ");
            b.append(cols.get(i));
            if (j > i) b.append('-').append(cols.get(j));
            i = j + 1;
        }
        return b.toString();
    }

    /**
     * The non-blank lines of a file, split at commas, with the number of the last one read. A line
     * ends at {@code \n}, {@code \r} or {@code \r\n}; one longer than
     * {@link DataFiles#MAX_LINE_CHARS} is an error, found before it is held whole.
     */
    private static final class Lines {
        private final Reader in;
        private final String file;
        private final char[] buf = new char[1 << 16];
        private final StringBuilder line = new StringBuilder();
        private int pos;
        private int lim;
        private boolean skipLf;
        private int number;

        Lines(Reader in, String file) {
            this.in = in;
            this.file = file;
        }

        /** The fields of the next non-blank line, or null at the end. */
        String[] next() throws IOException {
            String l;
            do {
                l = readLine();
                if (l == null) return null;
                number++;
            } while (l.isBlank());
            return l.split(",", -1);
        }

        private String readLine() throws IOException {
            line.setLength(0);
            boolean started = false;
            while (true) {
                if (pos == lim) {
                    int r = in.read(buf, 0, buf.length);
                    if (r < 0) return started ? line.toString() : null;
                    pos = 0;
                    lim = r;
                    continue;
                }
                if (skipLf) {
                    skipLf = false;
                    if (buf[pos] == '\n') {
                        pos++;
                        continue;
                    }
                }
                started = true;
                int start = pos;
                while (pos < lim && buf[pos] != '\n' && buf[pos] != '\r') pos++;
                line.append(buf, start, pos - start);
                if (line.length() > DataFiles.MAX_LINE_CHARS) {
                    throw bad(
                            file,
                            number + 1,
                            1,
                            "the line is longer than " + DataFiles.MAX_LINE_CHARS
                                    + " characters, the most that are read");
                }
                if (pos < lim) {
                    skipLf = buf[pos++] == '\r';
                    return line.toString();
                }
            }
        }

        int number() {
            return number;
        }
    }

    private interface LinesReader<T> {
        T read(Lines lines) throws IOException;
    }

    private static <T> T read(String file, LinesReader<T> reader) {
        DataFiles.checked(file, DataFiles.MAX_CSV_BYTES);
        try (BufferedReader in = new BufferedReader(
                new java.io.InputStreamReader(DataFiles.open(file), StandardCharsets.UTF_8.newDecoder()))) {
            return reader.read(new Lines(in, file));
        } catch (NoSuchFileException e) {
            throw Checks.invalid("data.path", file + " not found");
        } catch (CharacterCodingException e) {
            throw Checks.invalid("data.path", file + ", line " + firstNonUtf8Line(file) + ": not UTF-8 text");
        } catch (IOException e) {
            throw Checks.invalid("data.path", "cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * The line of the first bytes of {@code file} that are not UTF-8 (the reader decodes ahead of
     * the lines it hands out, so it cannot tell).
     */
    private static int firstNonUtf8Line(String file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        int line = 1;
        try (ReadableByteChannel ch = java.nio.channels.Channels.newChannel(DataFiles.open(file))) {
            boolean eof = false;
            while (true) {
                if (!eof) eof = ch.read(in) < 0;
                in.flip();
                CoderResult r = decoder.decode(in, out, eof);
                out.flip();
                while (out.hasRemaining()) if (out.get() == '\n') line++;
                out.clear();
                if (r.isError() || (eof && r.isUnderflow())) return line;
                in.compact();
            }
        } catch (IOException e) {
            return line;
        }
    }

    private static Checks.InvalidValue noSamples(String file) {
        return Checks.invalid("data.path", file + " has no samples");
    }

    private static Checks.InvalidValue bad(String file, int line, int col, String what) {
        return Checks.invalid("data.path", file + ", line " + line + ", column " + col + ": " + what);
    }
}
