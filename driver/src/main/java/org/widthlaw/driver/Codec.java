package org.widthlaw.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.widthlaw.lib.Named;

/**
 * Rows of one table, built once from one list of (column, type, getter): the schema and every
 * encoded row come from the same list, so a value cannot land under another column's name.
 * Decoding reads by name through {@link Fields}. Absent values are null in rows and empty
 * Optionals in records; categories are written by their wire names. The only place where
 * Spark's {@link Row} meets widthlaw's records.
 */
final class Codec<T> {
    /** One column: name, Spark type, whether it may be null, and how to get it from a record. */
    record Column<T>(String name, DataType type, boolean nullable, Function<T, Object> get) {}

    private final List<Column<T>> columns;
    private final StructType schema;
    private final Function<Fields, T> decode;

    Codec(List<Column<T>> columns, Function<Fields, T> decode) {
        this.columns = List.copyOf(columns);
        List<StructField> fields = new ArrayList<>();
        for (Column<T> c : columns) fields.add(DataTypes.createStructField(c.name(), c.type(), c.nullable()));
        this.schema = DataTypes.createStructType(fields);
        this.decode = decode;
    }

    StructType schema() {
        return schema;
    }

    Row encode(T value) {
        Object[] v = new Object[columns.size()];
        for (int i = 0; i < v.length; i++) {
            Column<T> c = columns.get(i);
            v[i] = plain(c.get().apply(value));
            if (v[i] == null && !c.nullable()) throw new IllegalStateException("column " + c.name() + " is null");
        }
        return new GenericRowWithSchema(v, schema);
    }

    List<Row> encode(List<T> values) {
        return values.stream().map(this::encode).toList();
    }

    T decode(Row row) {
        return decode.apply(new Fields(row));
    }

    /** The row's values as they go into CSV: the same conversion as into Parquet. */
    List<Object> values(T value) {
        List<Object> out = new ArrayList<>(columns.size());
        for (Column<T> c : columns) out.add(plain(c.get().apply(value)));
        return out;
    }

    /**
     * Records' values as Spark stores them: Optionals unwrapped to null, categories to their names, arrays to lists.
     */
    static Object plain(Object v) {
        if (v instanceof OptionalDouble o) return o.isPresent() ? o.getAsDouble() : null;
        if (v instanceof OptionalInt o) return o.isPresent() ? o.getAsInt() : null;
        if (v instanceof OptionalLong o) return o.isPresent() ? o.getAsLong() : null;
        if (v instanceof Optional<?> o) return o.map(Codec::plain).orElse(null);
        if (v instanceof Named n) return n.id();
        if (v instanceof int[] a) return java.util.Arrays.stream(a).boxed().toList();
        if (v instanceof double[] a) return java.util.Arrays.stream(a).boxed().toList();
        return v;
    }

    static <T> Column<T> col(String name, DataType type, Function<T, Object> get) {
        return new Column<>(name, type, false, get);
    }

    static <T> Column<T> nullable(String name, DataType type, Function<T, Object> get) {
        return new Column<>(name, type, true, get);
    }

    /** A stored row read by column name, with the record types' conventions for absent values. */
    static final class Fields {
        private final Row row;

        Fields(Row row) {
            this.row = row;
        }

        /** Rows are read with the table's whole schema: a column older rows lack reads as null. */
        private Object raw(String name) {
            return row.get(row.fieldIndex(name));
        }

        String string(String name) {
            return (String) raw(name);
        }

        /** A string that rows written before the column existed lack. */
        String string(String name, String absent) {
            Object v = raw(name);
            return v == null ? absent : (String) v;
        }

        int integer(String name) {
            return ((Number) raw(name)).intValue();
        }

        int integer(String name, int absent) {
            Object v = raw(name);
            return v == null ? absent : ((Number) v).intValue();
        }

        long int64(String name) {
            return ((Number) raw(name)).longValue();
        }

        double real(String name) {
            return ((Number) raw(name)).doubleValue();
        }

        OptionalDouble optReal(String name) {
            Object v = raw(name);
            return v == null ? OptionalDouble.empty() : OptionalDouble.of(((Number) v).doubleValue());
        }

        OptionalInt optInteger(String name) {
            Object v = raw(name);
            return v == null ? OptionalInt.empty() : OptionalInt.of(((Number) v).intValue());
        }

        OptionalLong optInt64(String name) {
            Object v = raw(name);
            return v == null ? OptionalLong.empty() : OptionalLong.of(((Number) v).longValue());
        }

        int[] integers(String name) {
            List<Integer> l = row.getList(row.fieldIndex(name));
            return l.stream().mapToInt(Integer::intValue).toArray();
        }

        double[] reals(String name) {
            List<Double> l = row.getList(row.fieldIndex(name));
            return l.stream().mapToDouble(Double::doubleValue).toArray();
        }

        int[] integersOrEmpty(String name) {
            return raw(name) == null ? new int[0] : integers(name);
        }

        double[] realsOrEmpty(String name) {
            return raw(name) == null ? new double[0] : reals(name);
        }

        <E extends Named> E named(E[] values, String name) {
            return Named.parse(values, string(name), name);
        }
    }
}
