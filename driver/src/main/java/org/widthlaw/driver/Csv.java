package org.widthlaw.driver;

import java.util.List;

/**
 * Rows as RFC 4180 CSV with a header (probes.csv, cells.csv, scaling.csv): one header line of
 * column names, plain numbers (no thousands separators; Java's {@code 1.0E-4} form), empty for
 * absent, as pandas' {@code read_csv} and Spark's CSV reader take them.
 */
final class Csv {
    private Csv() {}

    /** A table's records under the table's own column names, values converted as for Parquet. */
    static <T> String of(Codec<T> table, List<T> records) {
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", table.schema().fieldNames())).append('\n');
        for (T r : records) {
            List<Object> v = table.values(r);
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) b.append(',');
                b.append(cell(v.get(i)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String header(String... names) {
        return String.join(",", names) + "\n";
    }

    /**
     * One value: absent and NaN empty, infinities {@code Inf} and {@code -Inf} (what pandas and
     * Spark's CSV reader take), lists as JSON arrays ({@code "[0,1,2]"}), quoted when needed.
     */
    static String cell(Object v) {
        if (v == null) return "";
        String s;
        if (v instanceof Double d && Double.isNaN(d)) s = "";
        else if (v instanceof Double d && Double.isInfinite(d)) s = d > 0 ? "Inf" : "-Inf";
        else if (v instanceof List<?> l)
            s = "[" + String.join(",", l.stream().map(Csv::cell).toList()) + "]";
        else s = v.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return '"' + s.replace("\"", "\"\"") + '"';
        return s;
    }
}
