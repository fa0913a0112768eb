package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The session widthlaw builds: loopback for local masters, executors with the trainer's JVM flags. */
class SparksTest {
    @Test
    void executorsGetTheTrainersFlagsAndKeepTheUsersOwn() throws Exception {
        try (SparkSession s =
                Sparks.session("flags", "local[1]", Map.of("spark.executor.extraJavaOptions", "-Dmine=1"))) {
            String opts = s.sparkContext().getConf().get("spark.executor.extraJavaOptions");
            assertTrue(opts.contains("-Dmine=1 "), opts);
            assertTrue(opts.contains("--add-modules=jdk.incubator.vector,jdk.incubator.foreign"), opts);
            assertEquals("127.0.0.1", s.sparkContext().getConf().get("spark.driver.bindAddress"));
            assertEquals("1", s.sparkContext().getConf().get("spark.executorEnv.OPENBLAS_NUM_THREADS"));
        }
    }

    @Test
    void theUiIsServedOnLoopbackOnlyAndOtherwiseRefused() throws Exception {
        for (String ip : new String[] {null, "0.0.0.0", "10.0.0.5"}) {
            JobException e = org.junit.jupiter.api.Assertions.assertThrows(JobException.class, () -> Sparks.ui(ip));
            assertTrue(
                    e.getMessage().startsWith("--ui: Spark serves its UI on the address in SPARK_LOCAL_IP"),
                    e.getMessage());
        }
        String ip = System.getenv("SPARK_LOCAL_IP");
        org.junit.jupiter.api.Assumptions.assumeTrue("127.0.0.1".equals(ip), "the build sets SPARK_LOCAL_IP=127.0.0.1");
        try (SparkSession s = Sparks.session("ui", "local[1]", Sparks.ui(ip))) {
            String url = s.sparkContext().uiWebUrl().get();
            assertTrue(url.startsWith("http://127.0.0.1:"), url);
            var c = (java.net.HttpURLConnection) new java.net.URL(url + "/jobs/").openConnection();
            assertEquals(200, c.getResponseCode());
            c.disconnect();
        }
    }
}
