package org.widthlaw.driver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the Parquet files of one folder of OUT (probes/, cells/) into rows of a table's schema
 * without a SparkSession, through parquet-hadoop and Hadoop's FileSystem API: {@code status},
 * {@code fit} and {@code report} read OUT in seconds. A column a file lacks (written before the
 * column existed) reads as null, as Spark reads it with the table's schema. Files whose names
 * start with {@code _} or {@code .} are skipped, as Spark skips them.
 */
final class ParquetRows {
    private ParquetRows() {}

    /** Every row of every Parquet file in {@code dir}, in file-name order then file order. */
    static List<Row> read(FileSystem fs, Configuration conf, Path dir, StructType schema) throws IOException {
        List<Row> out = new ArrayList<>();
        if (!fs.exists(dir)) return out;
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus f : fs.listStatus(dir)) {
            String name = f.getPath().getName();
            if (f.isFile() && !name.startsWith("_") && !name.startsWith(".")) files.add(f);
        }
        files.sort(java.util.Comparator.comparing(f -> f.getPath().getName()));
        for (FileStatus f : files) {
            try (ParquetReader<Group> r = new Reader(HadoopInputFile.fromStatus(f, conf))
                    .withConf(conf)
                    .build()) {
                for (Group g = r.read(); g != null; g = r.read()) out.add(row(g, schema));
            }
        }
        return out;
    }

    /** A reader of a file's records as parquet's example {@link Group}s. */
    private static final class Reader extends ParquetReader.Builder<Group> {
        Reader(org.apache.parquet.io.InputFile file) {
            super(file);
        }

        @Override
        protected org.apache.parquet.hadoop.api.ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }

    private static Row row(Group g, StructType schema) {
        StructField[] fields = schema.fields();
        Object[] v = new Object[fields.length];
        var type = g.getType();
        for (int i = 0; i < fields.length; i++) {
            String name = fields[i].name();
            if (!type.containsField(name)) continue;
            int at = type.getFieldIndex(name);
            if (g.getFieldRepetitionCount(at) == 0) continue;
            v[i] = value(g, at, fields[i].dataType());
        }
        return new GenericRowWithSchema(v, schema);
    }

    private static Object value(Group g, int at, DataType t) {
        if (t instanceof ArrayType a) return list(g.getGroup(at, 0), a.elementType());
        return scalar(g, at, 0, t);
    }

    private static Object scalar(Group g, int at, int i, DataType t) {
        if (t.equals(DataTypes.StringType)) return g.getString(at, i);
        if (t.equals(DataTypes.IntegerType)) return g.getInteger(at, i);
        if (t.equals(DataTypes.LongType)) return g.getLong(at, i);
        if (t.equals(DataTypes.DoubleType)) return g.getDouble(at, i);
        throw new IllegalArgumentException("no Parquet reading for " + t);
    }

    /**
     * A Parquet LIST: {@code group (LIST) { repeated group list { element } }} as Spark writes it,
     * or the two-level form {@code group (LIST) { repeated element }} of older writers.
     */
    private static scala.collection.immutable.List<Object> list(Group list, DataType element) {
        int n = list.getFieldRepetitionCount(0);
        List<Object> out = new ArrayList<>(n);
        boolean threeLevel = !list.getType().getType(0).isPrimitive();
        for (int i = 0; i < n; i++) {
            if (threeLevel) {
                Group item = list.getGroup(0, i);
                out.add(item.getFieldRepetitionCount(0) == 0 ? null : scalar(item, 0, 0, element));
            } else {
                out.add(scalar(list, 0, i, element));
            }
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(out).toList(); // what Row.getList reads
    }
}
