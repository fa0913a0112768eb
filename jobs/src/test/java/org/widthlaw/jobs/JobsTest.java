package org.widthlaw.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.widthlaw.driver.Job;
import org.widthlaw.driver.JobException;
import org.widthlaw.driver.JobParser;
import org.widthlaw.driver.Planner;
import org.widthlaw.lib.data.DataSpec;

/** Every job in jobs/ parses, validates and plans, and says what it asks and how to run it. */
class JobsTest {
    static Stream<Path> jobs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("basedir", ".")))) {
            List<Path> files =
                    s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertFalse(files.isEmpty(), "no job files found");
            return files.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void parsesValidatesAndPlans(Path file) throws IOException {
        String text = Files.readString(file);
        // The job hash covers the data's bytes: a job on Fashion-MNIST needs Debian's
        // dataset-fashion-mnist to parse; without it the one error names the data path.
        if (text.contains("kind: fashion-mnist") && !Files.isDirectory(Path.of(DataSpec.MNIST_DIR))) {
            JobException e = assertThrows(JobException.class, () -> JobParser.parse(file));
            assertTrue(e.getMessage().startsWith("data.path: file not found: " + DataSpec.MNIST_DIR), e.getMessage());
            Assumptions.abort(file.getFileName() + ": " + DataSpec.MNIST_DIR
                    + " is absent (Debian package dataset-fashion-mnist); only the error was checked");
        }
        Job job = JobParser.parse(file);
        assertFalse(job.cells().isEmpty());
        String plan = Planner.describe(job);
        assertTrue(plan.contains(job.cells().size() + " cells"), plan);
        assertTrue(text.startsWith("#"), file + " starts with a comment saying what it asks");
        assertTrue(text.contains("./widthlaw run " + "jobs/" + file.getFileName()), file + " says how to run it");
    }
}
