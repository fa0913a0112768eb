package org.widthlaw.lib.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.Seeds;

/**
 * A user's CSV file: one row a sample, d feature columns then k label columns, comma-separated; an
 * optional header row (a first row that is not all numbers). Bad rows (wrong column count,
 * non-numbers, NaN or infinity, an all-zero feature vector) are errors naming file, line and
 * column. Cells take the first n rows of a seeded permutation (nested in n); inputs are normalised.
 */
public final class CsvData {
    private record Table(int rows, double[] x, double[] y) {}

    private static final Map<String, Table> CACHE = new ConcurrentHashMap<>();

    private CsvData() {}

    /** Reads and checks the whole file; returns the number of samples. */
    static int rows(DataSpec spec) {
        return table(spec).rows();
    }

    static Dataset build(DataSpec spec, int n, long cellSeed) {
        Table t = table(spec);
        if (n > t.rows()) throw Checks.invalid("grid.n", spec.path() + " has " + t.rows() + " samples, asked for " + n);
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
                spec.path() + "|" + spec.d() + "|" + spec.outputs(),
                key -> parse(Path.of(spec.path()), spec.d(), spec.outputs()));
    }

    static Table parse(Path file, int d, int k) {
        List<double[]> rows = new ArrayList<>();
        int width = d + k;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            boolean first = true;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] cells = line.split(",", -1);
                boolean header = first && isHeader(cells);
                first = false;
                if (header) continue;
                if (cells.length != width) {
                    throw bad(
                            file,
                            lineNo,
                            Math.min(cells.length, width) + 1,
                            "has " + cells.length + " columns, expected " + width + " (" + d + " features, " + k
                                    + " labels)");
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
                rows.add(v);
            }
        } catch (NoSuchFileException e) {
            throw Checks.invalid("data.path", file + " not found");
        } catch (IOException e) {
            throw Checks.invalid("data.path", "cannot read " + file + ": " + e.getMessage());
        }
        if (rows.isEmpty()) throw Checks.invalid("data.path", file + " has no samples");
        double[] x = new double[rows.size() * d];
        double[] y = new double[rows.size() * k];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, x, i * d, d);
            System.arraycopy(rows.get(i), d, y, i * k, k);
        }
        return new Table(rows.size(), x, y);
    }

    private static boolean isHeader(String[] cells) {
        for (String c : cells) {
            try {
                Double.parseDouble(c.strip());
            } catch (NumberFormatException e) {
                return true;
            }
        }
        return false;
    }

    private static Checks.InvalidValue bad(Path file, int line, int col, String what) {
        return Checks.invalid("data.path", file + ", line " + line + ", column " + col + ": " + what);
    }
}
