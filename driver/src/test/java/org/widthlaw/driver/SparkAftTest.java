package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.fit.CensoredFit;

/**
 * Spark MLlib's AFTSurvivalRegression and widthlaw's own maximisation of the same likelihood (used
 * for the bootstrap) give the same censored law.
 */
class SparkAftTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Sparks.session("aft", "local[1]", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        spark.close();
    }

    @Test
    void mllibAndTheLikelihoodMaximumAgree() {
        SparkAft aft = new SparkAft(spark);
        for (long seed : new long[] {1, 2, 3}) {
            // log P = 1 + 1.2 log n + 0.15 e (extreme value), censored above a cap at the largest n.
            SplittableRandom rng = new SplittableRandom(seed);
            int[] ns = {50, 100, 200, 400};
            int len = ns.length * 6;
            double[] x = new double[len], y = new double[len];
            boolean[] m = new boolean[len];
            double cap = 1 + 1.2 * Math.log(300);
            int censored = 0;
            for (int i = 0; i < len; i++) {
                x[i] = Math.log(ns[i / 6]);
                double v = 1 + 1.2 * x[i] + 0.15 * Math.log(-Math.log(1 - rng.nextDouble()));
                m[i] = v <= cap;
                y[i] = m[i] ? v : cap;
                if (!m[i]) censored++;
            }
            assertTrue(censored > 0, "seed " + seed + " censors");
            double[] spark = aft.fit(x, y, m), own = CensoredFit.mle(x, y, m);
            assertEquals(own[1], spark[1], 2e-3, "alpha, seed " + seed);
            assertEquals(own[0], spark[0], 1e-2, "intercept, seed " + seed);
            assertEquals(own[2], spark[2], 2e-3, "scale, seed " + seed);
        }
    }
}
