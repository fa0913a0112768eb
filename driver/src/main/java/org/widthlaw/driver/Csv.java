package org.widthlaw.driver;

import java.util.List;

/** Rows as RFC 4180 CSV with a header, for the small summary tables (cells.csv, scaling.csv). */
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

    static String cell(Object v) {
        if (v == null) return "";
        String s = v instanceof Double d && Double.isNaN(d) ? "" : v.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) return '"' + s.replace("\"", "\"\"") + '"';
        return s;
    }
}
