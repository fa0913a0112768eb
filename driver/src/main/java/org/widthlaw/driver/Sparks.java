package org.widthlaw.driver;

import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.widthlaw.lib.Checks;

/** Builds the SparkSession: the master comes from --master, else spark-submit, else local[*]. */
public final class Sparks {
    /** The JVM flags every executor needs beyond Spark's own. */
    static final String EXECUTOR_FLAGS =
            "--add-modules=jdk.incubator.vector,jdk.incubator.foreign --enable-native-access=ALL-UNNAMED";

    /** Every widthlaw setting a run reads from the Spark configuration. */
    public static final java.util.List<String> SETTINGS = java.util.List.of(Sweep.BLAS_THREADS);
    /** The most BLAS threads a task may ask for (as {@code train --threads}). */
    public static final int MAX_BLAS_THREADS = 1024;

    /** A host (a name, an IPv4 address or an IPv6 one in brackets) and a port. */
    private static final String HOST_PORT = "(\\[[0-9A-Fa-f:.]+]|[^,:/\\s\\[\\]]+):[0-9]+";

    /** The master URLs Spark's own parser accepts (SparkContext.createTaskScheduler), with N >= 1. */
    private static final Pattern MASTER = Pattern.compile("local"
            + "|local\\[([1-9][0-9]*|\\*)]"
            + "|local\\[([1-9][0-9]*|\\*)\\s*,\\s*[0-9]+]"
            + "|local-cluster\\[\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*,\\s*[1-9][0-9]*\\s*]"
            + "|spark://" + HOST_PORT + "(," + HOST_PORT + ")*"
            + "|yarn"
            + "|k8s://\\S+");

    private static final String MASTERS =
            "local, local[N], local[*], local[N,F], local-cluster[N,C,M], spark://HOST:PORT, yarn or k8s://URL";

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
        try {
            return SparkSession.builder().config(conf).getOrCreate();
        } catch (Exception e) { // Scala's SparkException is checked in Java's eyes but never declared
            throw refused(e, master, confs);
        }
    }

    /**
     * Checks, before Spark starts (docs/ARCHITECTURE.md, "CLI"), what a run takes from the command
     * line and spark-submit: the master in force is one Spark accepts, every {@code --conf} key is
     * a Spark setting, and the widthlaw settings are known and in range. A {@link JobException}
     * naming the flag otherwise.
     */
    public static void check(String master, Map<String, String> confs) {
        SparkConf submitted = new SparkConf(); // spark.* system properties (spark-submit, the launcher)
        String m;
        String from;
        if (confs.containsKey("spark.master")) {
            m = confs.get("spark.master");
            from = "--conf spark.master";
        } else if (master != null) {
            m = master;
            from = "--master";
        } else {
            m = submitted.get("spark.master", "local[*]");
            from = "spark.master";
        }
        if (!MASTER.matcher(m).matches())
            throw new JobException(from, "must be " + MASTERS + ", got " + Checks.quote(m));
        for (String k : confs.keySet()) {
            if (!k.startsWith("spark."))
                throw new JobException("--conf " + k, "is not a Spark setting (they start with 'spark.')");
            if (k.startsWith("spark.widthlaw.") && !SETTINGS.contains(k))
                throw new JobException("--conf " + k, "is not a widthlaw setting; allowed: " + SETTINGS);
        }
        String threads = confs.getOrDefault(Sweep.BLAS_THREADS, submitted.get(Sweep.BLAS_THREADS, "1"));
        blasThreads(
                threads, confs.containsKey(Sweep.BLAS_THREADS) ? "--conf " + Sweep.BLAS_THREADS : Sweep.BLAS_THREADS);
    }

    /** {@value Sweep#BLAS_THREADS} as an int in [1, {@value #MAX_BLAS_THREADS}]; otherwise names {@code field}. */
    static int blasThreads(String value, String field) {
        String allowed = "must be an integer in [1, " + MAX_BLAS_THREADS + "], got ";
        int t;
        try {
            t = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new JobException(field, allowed + Checks.quote(value));
        }
        if (t < 1 || t > MAX_BLAS_THREADS) throw new JobException(field, allowed + t);
        return t;
    }

    /**
     * A SparkSession that could not start: a master Spark cannot use (a cluster manager missing
     * from the class path) or a setting it refused is bad input; anything else a failure.
     */
    private static RuntimeException refused(Exception e, String master, Map<String, String> confs) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("Master URL") || msg.contains("cluster manager")) {
            return new JobException(master != null ? "--master" : "spark.master", JobParser.oneLine(msg));
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof IllegalArgumentException) {
                String said = JobParser.oneLine(c.getMessage());
                for (String k : confs.keySet()) {
                    if (said.contains(k)) return new JobException("--conf " + k, "Spark refused it: " + said);
                }
                String given = String.join(
                        ", ",
                        confs.entrySet().stream()
                                .map(kv -> kv.getKey() + "=" + kv.getValue())
                                .toList());
                return new JobException(
                        confs.isEmpty() ? "spark settings" : "--conf",
                        "Spark refused a setting" + (given.isEmpty() ? "" : " (of " + given + ")") + ": " + said);
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }

    /**
     * The settings of {@code run --ui}: Spark's web UI on, on its usual port (4040, or the next
     * free one). Spark binds the UI to the address in the environment variable SPARK_LOCAL_IP
     * ({@code localIp}), else to every interface, so the UI is served only when that is a
     * loopback address (the launcher sets 127.0.0.1); otherwise a {@link JobException} says so.
     */
    static Map<String, String> ui(String localIp) {
        if (localIp == null || !(localIp.equals("localhost") || localIp.startsWith("127.") || localIp.equals("::1"))) {
            throw new JobException(
                    "--ui",
                    "Spark serves its UI on the address in SPARK_LOCAL_IP, which is "
                            + (localIp == null ? "unset (every interface)" : Checks.quote(localIp))
                            + "; set SPARK_LOCAL_IP=127.0.0.1 (./widthlaw does) to serve it on loopback only");
        }
        return Map.of("spark.ui.enabled", "true", "spark.ui.showConsoleProgress", "false");
    }

    /** How many tasks run at once: what progress lines measure utilisation against. */
    public static int slots(SparkSession spark) {
        return Math.max(1, spark.sparkContext().defaultParallelism());
    }
}
