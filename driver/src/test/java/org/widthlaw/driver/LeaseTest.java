package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run per OUT through a lease that any host can see: a live lease from another host refuses
 * with exit 3 and writes nothing; an expired one is taken over; a holder renews its own.
 */
class LeaseTest {
    static final String OTHER = "host=elsewhere.example pid=4242 jvm=1";

    static Path job(Path dir) throws Exception {
        Path job = dir.resolve("tiny.yaml");
        Files.writeString(job, JobParserTest.GOOD.replace("n: [8, 16]", "n: [8]"));
        return job;
    }

    @Test
    void aLiveLeaseFromAnotherHostRefusesWithExit3(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        String lease = OTHER + " expires=" + (System.currentTimeMillis() + 3_600_000);
        Files.writeString(out.resolve(ResultsStore.LOCK), lease);
        SweepTest.Ran r = SweepTest.cli("run", job(dir).toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(Main.OUT_IN_USE, r.code(), r.err());
        assertTrue(r.err().strip().startsWith("widthlaw: output: "), r.err());
        assertTrue(r.err().contains("is in use by another run (" + OTHER), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line");
        assertFalse(Files.exists(out.resolve(ResultsStore.JOB)), "nothing written");
        assertEquals(lease, Files.readString(out.resolve(ResultsStore.LOCK)), "the lease is left to its owner");
    }

    @Test
    void anExpiredLeaseFromAnotherHostIsTakenOver(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve(ResultsStore.LOCK), OTHER + " expires=" + (System.currentTimeMillis() - 1_000));
        SweepTest.Ran r = SweepTest.cli("run", job(dir).toString(), "--master", "local[1]", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(out.resolve(ResultsStore.LOCK)), "released at the end");
        assertTrue(Files.exists(out.resolve("cells.csv")));
    }

    @Test
    void theHolderRenewsItsLease(@TempDir Path dir) throws Exception {
        System.setProperty("widthlaw.lease.secs", "3");
        try (SparkSession spark = Sparks.session("lease", "local[1]", Map.of());
                ResultsStore store = new ResultsStore(spark, dir.resolve("out").toString())) {
            store.claim(JobParser.parse(job(dir)));
            Path lease = dir.resolve("out").resolve(ResultsStore.LOCK);
            long first = expiry(Files.readString(lease));
            assertTrue(first > System.currentTimeMillis(), "a lease expires in the future");
            Thread.sleep(2_500); // past one renewal (every second with 3 s leases)
            long later = expiry(Files.readString(lease));
            assertTrue(later > first, "renewed: " + first + " -> " + later);
            assertTrue(Files.readString(lease).startsWith(ResultsStore.ownerTag() + " "), "still ours");
        } finally {
            System.clearProperty("widthlaw.lease.secs");
        }
        assertFalse(Files.exists(dir.resolve("out").resolve(ResultsStore.LOCK)), "released on close");
        assertTrue(ResultsStore.expired(OTHER + " expires=5", 6));
        assertFalse(ResultsStore.expired(OTHER + " expires=5", 4));
        assertFalse(ResultsStore.expired(OTHER, Long.MAX_VALUE), "a lease without an expiry is never taken by time");
    }

    static long expiry(String lease) {
        return Long.parseLong(lease.replaceAll(".* expires=(\\d+).*", "$1").strip());
    }
}
