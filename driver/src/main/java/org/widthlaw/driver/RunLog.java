package org.widthlaw.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.widthlaw.lib.Version;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.train.Provenance;

/**
 * OUT/run.json: what ran on OUT, when, how and where (docs/ARCHITECTURE.md, "Results store"):
 * {@code {"runs": [...]}}, one entry per {@code run} in the order they started, the latest last.
 * An entry is written when the run has claimed OUT and rewritten when it ends; {@code status}
 * reads the number of slots from it to estimate the time left, and the report shows it.
 */
final class RunLog {
    static final String FILE = "run.json";

    private RunLog() {}

    /**
     * A run starting now: {@code started} (ISO-8601 UTC), {@code command} (the command line as
     * typed, one string) and {@code argv}, {@code version} and {@code commit} (the build's),
     * {@code job} and {@code job_hash}, {@code output}, the machine ({@code host}, {@code os},
     * {@code cpu}, {@code cores}, {@code java}), Spark's {@code master} and {@code slots}, the BLAS
     * backend {@code blas}; {@code finished} and {@code outcome} stay null until it ends.
     */
    static ObjectNode start(Job job, String output, List<String> argv, String master, int slots) {
        Provenance p = Provenance.here(Blas.get());
        ObjectNode o = JobParser.JSON.createObjectNode();
        o.put("started", now());
        o.put(
                "command",
                "widthlaw "
                        + String.join(" ", argv.stream().map(RunLog::shellWord).toList()));
        ArrayNode a = o.putArray("argv");
        argv.forEach(a::add);
        o.put("version", Version.version())
                .put("commit", Version.commit())
                .put("job", job.name())
                .put("job_hash", job.hash())
                .put("output", output)
                .put("host", p.host())
                .put("os", p.os())
                .put("cpu", p.cpu())
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("java", p.java())
                .put("master", master)
                .put("slots", slots)
                .put("blas", p.blas());
        o.putNull("finished");
        o.putNull("outcome");
        return o;
    }

    /** The run ended: {@code finished}, {@code outcome} (done | failed), the probes trained and reused, the seconds. */
    static void end(ObjectNode run, String outcome, int trained, int reused, double secs) {
        run.put("finished", now())
                .put("outcome", outcome)
                .put("probes_trained", trained)
                .put("probes_reused", reused)
                .put("secs", Math.round(secs * 10) / 10.0);
    }

    /** Writes OUT/run.json: the entries already there, then {@code run} (replacing an earlier copy of it). */
    static void write(ResultsStore store, ObjectNode run) {
        ObjectNode doc = JobParser.JSON.createObjectNode();
        ArrayNode runs = doc.putArray("runs");
        for (JsonNode r : read(store).map(d -> d.path("runs")).orElse(JobParser.JSON.createArrayNode())) {
            if (!r.path("started").asText().equals(run.path("started").asText())
                    || !r.path("host").asText().equals(run.path("host").asText())) runs.add(r);
        }
        runs.add(run);
        try {
            store.writeText(
                    FILE, JobParser.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** OUT/run.json when there is a readable one. */
    static Optional<JsonNode> read(ResultsStore store) {
        if (!store.exists(FILE)) return Optional.empty();
        try {
            JsonNode n = JobParser.JSON.readTree(store.readText(FILE));
            return n != null && n.path("runs").isArray() ? Optional.of(n) : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The latest run's entry, when there is one. */
    static Optional<JsonNode> latest(ResultsStore store) {
        return read(store).map(d -> d.path("runs")).filter(r -> r.size() > 0).map(r -> r.get(r.size() - 1));
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A word as a shell would need it quoted (for the one-string command). */
    static String shellWord(String w) {
        if (!w.isEmpty() && w.matches("[A-Za-z0-9_./:=@%+,-]+")) return w;
        return "'" + w.replace("'", "'\\''") + "'";
    }
}
