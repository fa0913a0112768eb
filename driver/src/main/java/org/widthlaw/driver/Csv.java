package org.widthlaw.driver;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Rows as RFC 4180 CSV with a header, for the small summary tables (cells.csv, scaling.csv). */
final class Csv {
    private Csv() {}

    static String of(StructType schema, List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", schema.fieldNames())).append('\n');
        for (Row r : rows) {
            for (int i = 0; i < r.length(); i++) {
                if (i > 0) b.append(',');
                b.append(cell(r.get(i)));
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
