package org.widthlaw.driver;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.AFTSurvivalRegression;
import org.apache.spark.ml.regression.AFTSurvivalRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.widthlaw.lib.fit.CensoredFit;

/**
 * The censored law's estimate through Spark MLlib's {@link AFTSurvivalRegression}
 * (docs/METHOD.md section 6): label P (P* when measured, the bound when censored), censor 1 for a
 * measured point and 0 for a censored one, one feature log n. MLlib fits log P = intercept +
 * coefficient log n + scale e with e standard extreme-value, the likelihood {@link CensoredFit}
 * maximises for the bootstrap; tested to agree with it.
 */
final class SparkAft implements CensoredFit.Estimator {
    static final String ENGINE = "spark-mllib AFTSurvivalRegression";

    private static final StructType SCHEMA = new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("censor", DataTypes.DoubleType, false)
            .add("features", SQLDataTypes.VectorType(), false);

    private final java.util.function.Supplier<SparkSession> spark;

    SparkAft(SparkSession spark) {
        this(() -> spark);
    }

    /** With the session from {@code spark}, asked for only when a group has unreached cells. */
    SparkAft(java.util.function.Supplier<SparkSession> spark) {
        this.spark = spark;
    }

    @Override
    public double[] fit(double[] logN, double[] logP, boolean[] measured) {
        List<Row> rows = new ArrayList<>(logN.length);
        for (int i = 0; i < logN.length; i++) {
            rows.add(RowFactory.create(Math.exp(logP[i]), measured[i] ? 1.0 : 0.0, Vectors.dense(logN[i])));
        }
        Dataset<Row> df = spark.get().createDataFrame(rows, SCHEMA).coalesce(1);
        AFTSurvivalRegressionModel m = new AFTSurvivalRegression()
                .setFitIntercept(true)
                .setMaxIter(1000)
                .setTol(1e-10)
                .fit(df);
        return new double[] {m.intercept(), m.coefficients().apply(0), m.scale()};
    }
}
