package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.data.DataKind;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.reduce.CellKey;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.reduce.CellStats;
import org.widthlaw.lib.reduce.GroupKey;
import org.widthlaw.lib.reduce.Reducer;
import org.widthlaw.lib.search.CellStatus;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeStatus;
import org.widthlaw.lib.train.Provenance;

/**
 * The output formats pinned by golden files (src/test/resources/golden): the probe and cell row
 * schemas and scaling.json of a fixed fixture (the report built from it: {@link ReportTest}). Run with
 * -Dwidthlaw.golden.update=true to rewrite the golden files after an intended change.
 */
class GoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static final String JOB = """
            name: fixture
            data: { kind: sphere, d: 10, labels: random }
            model: { arch: two-layer, trained: hidden, activation: relu }
            grid: { depth: [2], n: [50, 100, 200], seeds: 2 }
            train: { steps: 20000, tol: 1.0e-4 }
            output: results/fixture
            """;

    static final GroupKey GROUP =
            new GroupKey(Arch.TWO_LAYER, 2, 10, DataKind.SPHERE, Labels.RANDOM, Trained.HIDDEN, Activation.RELU);

    /** Six cells of one group (one unreached) with fixed widths. */
    static List<CellResult> cells() {
        int[][] v = {
            {50, 0, 11, 10}, {50, 1, 13, 12}, {100, 0, 19, 18}, {100, 1, 24, 23}, {200, 0, 45, 44}, {200, 1, 0, 4096}
        };
        List<CellResult> rows = new ArrayList<>();
        for (int[] c : v) {
            boolean found = c[2] > 0;
            CellKey key =
                    new CellKey("two-layer-L2-d10-sphere-random-hidden-relu-n" + c[0] + "-s" + c[1], GROUP, c[0], c[1]);
            rows.add(new CellResult(
                    key,
                    20_000,
                    found ? OptionalInt.of(c[2]) : OptionalInt.empty(),
                    OptionalInt.of(c[3]),
                    found ? OptionalLong.of(10L * c[2]) : OptionalLong.empty(),
                    found ? CellStatus.FOUND : CellStatus.UNREACHED,
                    9,
                    12.5,
                    new CellStats(
                            OptionalDouble.of(0.05 + c[0] * 1e-4), OptionalDouble.empty(), OptionalDouble.of(0.3)),
                    java.util.Optional.empty()));
        }
        return rows;
    }

    static List<ProbeResult> probes() {
        List<ProbeResult> out = new ArrayList<>();
        Provenance prov = new Provenance(
                "0.1.0", "abc1234", "java", "os", "cpu", "netlib-JNIBLAS", "OpenBLAS", "Haswell", 1, "host", 0);
        for (int w : new int[] {44, 45}) {
            boolean ok = w == 45;
            out.add(new ProbeResult(
                    "p" + w,
                    "two-layer-L2-d10-sphere-random-hidden-relu-n200-s0",
                    w,
                    10L * w,
                    ok ? ProbeStatus.SUCCESS : ProbeStatus.FAIL,
                    ok ? 9000 : 20000,
                    ok ? 9e-5 : 3e-3,
                    0.07,
                    OptionalDouble.of(0.01),
                    OptionalDouble.of(14.0),
                    OptionalDouble.of(0.2),
                    OptionalDouble.of(0.1),
                    3.0,
                    2.9,
                    Precision.FLOAT64,
                    new int[] {0, 1, 2, 4, 8, 16, ok ? 9000 : 20000},
                    new double[] {1.0, 0.9, 0.8, 0.6, 0.4, 0.2, ok ? 9e-5 : 3e-3},
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    prov,
                    20_000,
                    ok ? java.util.OptionalInt.of(9000) : java.util.OptionalInt.empty(),
                    ok ? new int[0] : new int[] {20000},
                    ok ? new double[0] : new double[] {3e-3},
                    ok ? OptionalDouble.empty() : OptionalDouble.of(1e-4),
                    ok ? java.util.Optional.empty() : java.util.Optional.of(org.widthlaw.lib.train.Trend.STALLED),
                    OptionalDouble.empty(),
                    0));
        }
        return out;
    }

    static void golden(String name, String actual) throws IOException {
        Path f = GOLDEN.resolve(name);
        if (Boolean.getBoolean("widthlaw.golden.update")) Files.writeString(f, actual, StandardCharsets.UTF_8);
        assertEquals(
                Files.readString(f, StandardCharsets.UTF_8),
                actual,
                name + " changed: field names are a contract (add, never rename)");
    }

    @Test
    void rowSchemasArePinned() throws IOException {
        golden("probe-schema.json", Tables.PROBES.schema().prettyJson() + "\n");
        golden("cell-schema.json", Tables.CELLS.schema().prettyJson() + "\n");
    }

    @Test
    void scalingJsonOfTheFixtureIsPinned() throws IOException {
        Job job = JobParser.parse(JOB, "fixture");
        golden("scaling.json", ScalingJson.json(job, Reducer.reduce(cells(), job.hash(), 1)));
    }
}
