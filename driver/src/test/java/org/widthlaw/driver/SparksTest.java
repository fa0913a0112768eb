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
}
