package org.widthlaw.driver;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.widthlaw.lib.train.ProbeResult;

/** The Parquet schemas of probe and cell rows (DESIGN.md, "Results store") and conversions. */
public final class Rows {
    private Rows() {}

    /** A cell's id and the coordinates that lead both row kinds. */
    private static StructField[] cellCoordinates() {
        return new StructField[] {
            f("cell_id", DataTypes.StringType, false),
            f("arch", DataTypes.StringType, false),
            f("depth", DataTypes.IntegerType, false),
            f("d", DataTypes.IntegerType, false),
            f("data", DataTypes.StringType, false),
            f("labels", DataTypes.StringType, false),
        };
    }

    private static StructType schema(StructField[] head, StructField... rest) {
        return new StructType(concat(head, rest));
    }

    public static final StructType PROBE = schema(concat(new StructField[] {f("probe_id", DataTypes.StringType, false)},
            cellCoordinates()),
        f("n", DataTypes.IntegerType, false),
        f("seed", DataTypes.LongType, false),
        f("width", DataTypes.IntegerType, false),
        f("params", DataTypes.LongType, false),
        f("status", DataTypes.StringType, false),
        f("steps", DataTypes.IntegerType, false),
        f("rel_loss", DataTypes.DoubleType, false),
        f("lr", DataTypes.DoubleType, false),
        f("lambda_min_ntk0", DataTypes.DoubleType, true),
        f("lambda_max_ntk0", DataTypes.DoubleType, true),
        f("rel_weight_move", DataTypes.DoubleType, true),
        f("act_flip_frac", DataTypes.DoubleType, true),
        f("secs", DataTypes.DoubleType, false),
        f("blas", DataTypes.StringType, false),
        f("precision", DataTypes.StringType, false),
        f("host", DataTypes.StringType, false),
        f("attempt", DataTypes.IntegerType, false),
        f("code_version", DataTypes.StringType, false),
        f("trained", DataTypes.StringType, false),
        f("activation", DataTypes.StringType, false),
        f("job_hash", DataTypes.StringType, false),
        f("curve_steps", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
        f("curve_loss", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        f("step_secs", DataTypes.DoubleType, false),
        f("test_loss", DataTypes.DoubleType, true),
        f("test_acc", DataTypes.DoubleType, true));

    public static final StructType CELL = schema(cellCoordinates(),
        f("trained", DataTypes.StringType, false),
        f("activation", DataTypes.StringType, false),
        f("n", DataTypes.IntegerType, false),
        f("seed", DataTypes.LongType, false),
        f("min_width", DataTypes.IntegerType, true),
        f("max_failed_width", DataTypes.IntegerType, true),
        f("min_params", DataTypes.LongType, true),
        f("lambda0", DataTypes.DoubleType, true),
        f("status", DataTypes.StringType, false),
        f("probes", DataTypes.IntegerType, false),
        f("secs", DataTypes.DoubleType, false),
        f("lambda_deep", DataTypes.DoubleType, true),
        f("delta_sep", DataTypes.DoubleType, true));

    private static StructField[] concat(StructField[] a, StructField[] b) {
        StructField[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static StructField f(String name, org.apache.spark.sql.types.DataType t, boolean nullable) {
        return DataTypes.createStructField(name, t, nullable);
    }

    /** A row carrying its schema, so fields can be read by name. */
    public static Row cell(Object... values) {
        return new GenericRowWithSchema(values, CELL);
    }

    static Double nullable(double v) {
        return Double.isNaN(v) ? null : v;
    }

    static double orNaN(Row r, String field) {
        Object v = r.getAs(field);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    public static Row probe(Cell c, ProbeResult r, String jobHash, String codeVersion) {
        Integer[] cs = new Integer[r.curveSteps().length];
        for (int i = 0; i < cs.length; i++) cs[i] = r.curveSteps()[i];
        Double[] cl = new Double[r.curveLoss().length];
        for (int i = 0; i < cl.length; i++) cl[i] = r.curveLoss()[i];
        return new GenericRowWithSchema(new Object[] {r.probeId(), c.cellId(), c.model().arch(), c.model().depth(), c.data().d(),
                c.data().kind(), c.data().labels(), c.n(), c.seed(), r.width(), r.params(), r.status(), r.steps(),
                r.relLoss(), r.lr(), nullable(r.lambdaMinNtk0()), nullable(r.lambdaMaxNtk0()),
                nullable(r.relWeightMove()), nullable(r.actFlipFrac()), r.secs(), r.blas(), r.precision(), r.host(),
                r.attempt(), codeVersion, c.model().trained(), c.model().activation(), jobHash,
                List.of(cs), List.of(cl), r.stepSecs(), nullable(r.testLoss()), nullable(r.testAcc())}, PROBE);
    }

    public static ProbeResult probeResult(Row row) {
        List<Integer> cs = row.getList(row.fieldIndex("curve_steps"));
        List<Double> cl = row.getList(row.fieldIndex("curve_loss"));
        return new ProbeResult(row.getAs("probe_id"), row.getAs("cell_id"), row.<Integer>getAs("width"),
                row.<Long>getAs("params"), row.getAs("status"), row.<Integer>getAs("steps"),
                row.<Double>getAs("rel_loss"), row.<Double>getAs("lr"), orNaN(row, "lambda_min_ntk0"),
                orNaN(row, "lambda_max_ntk0"), orNaN(row, "rel_weight_move"), orNaN(row, "act_flip_frac"),
                row.<Double>getAs("secs"), row.<Double>getAs("step_secs"), row.getAs("blas"), row.getAs("precision"), row.getAs("host"),
                row.<Integer>getAs("attempt"), cs.stream().mapToInt(Integer::intValue).toArray(),
                cl.stream().mapToDouble(Double::doubleValue).toArray(), orNaN(row, "test_loss"), orNaN(row, "test_acc"));
    }
}
