package org.widthlaw.driver;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession: the master comes from --master, else spark-submit, else local[*]. */
public final class Sparks {
    /** The JVM flags every executor needs beyond Spark's own. */
    static final String EXECUTOR_FLAGS =
            "--add-modules=jdk.incubator.vector,jdk.incubator.foreign --enable-native-access=ALL-UNNAMED";

    private Sparks() {}

    public static SparkSession session(String appName, String master, Map<String, String> confs) {
        SparkConf conf = new SparkConf(); // picks up spark.* system properties set by spark-submit
        conf.setAppName(appName);
        if (master != null) conf.setMaster(master);
        else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        // One BLAS thread per task: tasks fill the cores (docs/ARCHITECTURE.md, "Native BLAS").
        conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
        conf.setIfMissing("spark.sql.shuffle.partitions", "4");
        confs.forEach(conf::set);
        // Executors launched by a cluster manager get the modules the trainer uses (the Vector
        // API's ReLU kernels, OpenBLAS's self-description); Spark itself adds the add-opens.
        String opts = conf.get("spark.executor.extraJavaOptions", "");
        if (!opts.contains("jdk.incubator.vector")) {
            conf.set("spark.executor.extraJavaOptions", (opts + " " + EXECUTOR_FLAGS).strip());
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** How many tasks run at once: what progress lines measure utilisation against. */
    public static int slots(SparkSession spark) {
        return Math.max(1, spark.sparkContext().defaultParallelism());
    }
}
