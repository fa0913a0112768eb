package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.widthlaw.lib.data.CsvHeader;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.train.Optimizer;

class JobParserTest {
    static final String GOOD = """
            name: tiny
            data: { kind: sphere, d: 5, labels: random }
            model: { arch: two-layer, trained: hidden, activation: relu }
            grid: { depth: [2], n: [8, 16], seeds: 2 }
            search: { min_width: 1, max_width: 64, resolution: 1, audit: false }
            train: { steps: 3000, tol: 1.0e-4, lr: auto, precision: float64 }
            output: results/tiny
            """;

    @Test
    void aGoodJobParsesWithItsDefaults() {
        Job j = JobParser.parse(
                "data: {d: 3}\nmodel: {arch: two-layer}\ngrid: {n: [4, 8], seeds: [3, 5]}\n", "fallback");
        assertEquals("fallback", j.name());
        assertEquals(Labels.RANDOM, j.data().labels());
        assertEquals(List.of(2), j.grid().depths());
        assertEquals(List.of(3L, 5L), j.grid().seeds());
        assertEquals(20_000, j.train().steps());
        assertTrue(j.train().autoLr());
        assertEquals("results/fallback", j.output());
        assertEquals(4, j.cells().size());
        assertTrue(j.search().audit(), "the monotonicity audit is on unless a job turns it off");
        assertTrue(j.train().earlyStop(), "early stop is on unless a job turns it off");
    }

    @Test
    void theHashCoversTheRecipeButNotTheGridNameOrOutput() {
        Job a = JobParser.parse(GOOD, "x");
        Job grown = JobParser.parse(
                GOOD.replace("n: [8, 16]", "n: [8, 16, 32]")
                        .replace("name: tiny", "name: other")
                        .replace("results/tiny", "elsewhere"),
                "x");
        Job otherSteps = JobParser.parse(GOOD.replace("steps: 3000", "steps: 3001"), "x");
        Job sameButSpelledOut = JobParser.parse(GOOD.replace("lr: auto, ", ""), "x");
        assertEquals(a.hash(), grown.hash());
        assertEquals(a.hash(), sameButSpelledOut.hash());
        assertNotEquals(a.hash(), otherSteps.hash());
        // The normalised job parses back to the same job.
        Job back = JobParser.parseStored(JobParser.toYaml(JobParser.normalised(a)));
        assertEquals(a, back);
    }

    @Test
    void aCnnJobCarriesItsKernelIntoEveryCnnCellAndTheHash() {
        String cnn = GOOD.replace("model: { arch: two-layer,", "model: { arch: [fc, cnn], kernel: 4,");
        Job j = JobParser.parse(cnn, "x");
        assertEquals(4, j.grid().kernel());
        assertEquals(2 * 1 * 2 * 2, j.cells().size(), "arch x labels x n x seeds");
        for (Cell c : j.cells()) {
            assertEquals(
                    c.model().arch() == org.widthlaw.lib.model.Arch.CNN ? 4 : 0,
                    c.model().kernel(),
                    c.cellId());
        }
        assertTrue(j.cells().stream().anyMatch(c -> c.model().arch() == org.widthlaw.lib.model.Arch.CNN));
        Job three = JobParser.parse(cnn.replace("kernel: 4,", "kernel: 3,"), "x");
        Job byDefault = JobParser.parse(cnn.replace("kernel: 4,", ""), "x");
        assertNotEquals(j.hash(), three.hash(), "another filter size is another job");
        assertEquals(three.hash(), byDefault.hash(), "q = 3 by default");
        assertFalse(
                JobParser.normalised(JobParser.parse(GOOD, "x")).path("model").has("kernel"),
                "a job without cnn keeps its recipe, and so its hash");
        assertEquals(4, JobParser.normalised(j).path("model").path("kernel").asInt());
        assertEquals(j, JobParser.parseStored(JobParser.toYaml(JobParser.normalised(j))));

        // 2-D: q x q filters over the 3 x 3 grid of d = 9.
        String image = cnn.replace("d: 5", "d: 9").replace("kernel: 4,", "kernel: [2, 2],");
        Job square = JobParser.parse(image, "x");
        assertTrue(square.grid().kernel2d());
        for (Cell c : square.cells()) {
            if (c.model().arch() == org.widthlaw.lib.model.Arch.CNN) {
                assertEquals(2, c.model().kernel());
                assertTrue(c.model().kernel2d());
            }
        }
        assertNotEquals(JobParser.parse(image.replace("[2, 2]", "2"), "x").hash(), square.hash());
        assertEquals(square, JobParser.parseStored(JobParser.toYaml(JobParser.normalised(square))));
        JobException e =
                assertThrows(JobException.class, () -> JobParser.parse(image.replace("[2, 2]", "[4, 4]"), "x"));
        assertTrue(
                e.getMessage().startsWith("model.kernel: [q, q] must have q at most the image side 3"), e.getMessage());
    }

    @Test
    void trainOnTheCommandLineTakesACnnKernelOfEitherShape() throws Exception {
        for (String[] c : new String[][] {{"--d", "9", "--kernel", "2x2", "64"}, {"--d", "9", "--kernel", "2", "32"}}) {
            SweepTest.Ran r = SweepTest.cli(
                    "train", "--arch", "cnn", c[0], c[1], c[2], c[3], "--n", "10", "--width", "16", "--steps", "3000");
            assertEquals(0, r.code(), r.err());
            com.fasterxml.jackson.databind.JsonNode o = JobParser.JSON.readTree(r.out());
            assertEquals("cnn", o.get("arch").asText());
            assertEquals(Integer.parseInt(c[4]), o.get("params").asInt(), "P = 16 q^2 or 16 q");
            assertEquals("success", o.get("status").asText(), r.out());
        }
    }

    /** At least ten bad job files, each with the field it must name and a part of what it must say. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top key        | colour: red                                   |                   | colour: unknown key; allowed here: name, data, model
            unknown nested key     | data: { kind: sphere, d: 5, label: random }   | data:.*           | data.label: unknown key
            d is a word            | data: { kind: sphere, d: ten, labels: random } | data:.*          | data.d: must be an integer in [1, 100000] ([1, 784] for fashion-mnist), got 'ten'
            d is zero              | data: { kind: sphere, d: 0, labels: random }  | data:.*           | data.d: must be an integer in [1, 100000], got 0
            unknown data kind      | data: { kind: imagenet, d: 5 }                | data:.*           | data.kind: must be one of [sphere, fashion-mnist, csv], got 'imagenet'
            unknown labels         | data: { kind: sphere, d: 5, labels: natural } | data:.*           | data.labels: for kind sphere must be one of [random, teacher, teacher-class]
            unknown arch           | model: { arch: rnn }                          | model:.*          | model.arch: must be one of [two-layer, fc, resnet, cnn], got 'rnn'
            kernel without cnn     | model: { arch: two-layer, kernel: 3 }         | model:.*          | model.kernel: applies to arch cnn only; model.arch is [two-layer]
            kernel above d         | model: { arch: cnn, kernel: 6 }               | model:.*          | model.kernel: must be an integer in [1, 5] (at most data.d, the input positions), got 6
            kernel zero            | model: { arch: cnn, kernel: 0 }               | model:.*          | model.kernel: must be an integer in [1, 5]
            kernel not square      | model: { arch: cnn, kernel: [2, 3] }          | model:.*          | model.kernel: must be q or [q, q] (a square filter), got [2, 3]
            kernel 2-D off a grid  | model: { arch: cnn, kernel: [2, 2] }          | model:.*          | model.kernel: [q, q] needs data.d = side^2 inputs (an image in raster order), got d = 5
            kernel a word          | model: { arch: cnn, kernel: wide }            | model:.*          | model.kernel: must be a finite number, got 'wide'
            bad trained            | model: { arch: two-layer, trained: some }     | model:.*          | model.trained: must be one of [hidden, output, all]
            two-layer depth 3      | grid: { depth: [3], n: [8, 16], seeds: 2 }    | grid:.*           | grid.depth: two-layer has depth 2 only, got 3
            resnet depth 2         | model: { arch: resnet }                       | model:.*          | grid.depth: must be an integer in [3, 64], got 2
            repeated n             | grid: { depth: [2], n: [8, 8], seeds: 2 }     | grid:.*           | grid.n: lists 8 twice
            no n                   | grid: { depth: [2], seeds: 2 }                | grid:.*           | grid.n: is required
            negative width         | search: { min_width: -1 }                     | search:.*         | search.min_width: must be an integer in [1, 1048576], got -1
            max below min          | search: { min_width: 10, max_width: 5 }       | search:.*         | search.max_width: must be an integer in [10, 1048576], got 5
            tol above one          | train: { tol: 2 }                             | train:.*          | train.tol: must be a number in (0, 1), got 2.0
            float32 tol too fine   | train: { tol: 1e-8, precision: float32 }      | train:.*          | train.tol: must be >= 1e-6 with precision float32, got 1.0E-8
            lr is a word           | train: { lr: fast }                           | train:.*          | train.lr: must be auto or a number > 0, got 'fast'
            negative lr            | train: { lr: -0.5 }                           | train:.*          | train.lr: must be auto or a number > 0, got -0.5
            steps fractional       | train: { steps: 10.5 }                        | train:.*          | train.steps: must be an integer in [1, 100000000] or an increasing list of them, got 10.5
            unknown precision      | train: { precision: float16 }                 | train:.*          | train.precision: must be one of [float64, float32], got 'float16'
            audit not a bool       | search: { audit: maybe }                      | search:.*         | search.audit: must be true or false, got 'maybe'
            data not a mapping     | data: [1, 2]                                  | data:.*           | data: must be a mapping of keys to values, got a list
            bad name               | name: 'my job!'                               | name:.*           | name: must be letters, digits
            seeds zero             | grid: { depth: [2], n: [8], seeds: 0 }        | grid:.*           | grid.seeds: a count must be an integer in [1, 10000], got 0
            classes on sphere      | data: { kind: sphere, d: 5, classes: [1, 2] } | data:.*           | data.classes: is only for kind fashion-mnist
            csv without path       | data: { kind: csv, d: 5 }                     | data:.*           | data.path: is required
            csv header a word      | data: { kind: csv, d: 5, path: x.csv, header: maybe } | data:.*   | data.header: must be true, false or auto, got 'maybe'
            csv header a number    | data: { kind: csv, d: 5, path: x.csv, header: 1 } | data:.*       | data.header: must be true, false or auto, got 1
            header on sphere       | data: { kind: sphere, d: 5, header: true }    | data:.*           | data.header: is only for kind csv
            mnist one class        | data: { kind: fashion-mnist, classes: [3] }   | data:.*           | data.classes: needs at least two classes, got [3]
            mnist bad class        | data: { kind: fashion-mnist, classes: [3, 12] } | data:.*         | data.classes: must be an integer in [0, 9], got 12
            mnist d too large      | data: { kind: fashion-mnist, d: 1000 }        | data:.*           | data.d: must be an integer in [1, 784], got 1000
            unknown loss           | train: { loss: l1 }                           | train:.*          | train.loss: must be one of [squared, cross-entropy, hinge], got 'l1'
            loss not a word        | train: { loss: 3 }                            | train:.*          | train.loss: must be a string or a list of strings, got 3
            loss list not words    | train: { loss: [squared, 3] }                 | train:.*          | train.loss: must be a string or a list of strings, got 3
            loss list unknown      | train: { loss: [squared, l1] }                | train:.*          | train.loss: must be one of [squared, cross-entropy, hinge], got 'l1'
            loss list repeated     | train: { loss: [squared, squared] }           | train:.*          | train.loss: lists 'squared' twice
            loss list empty        | train: { loss: [] }                           | train:.*          | train.loss: must not be empty
            loss list random       | train: { loss: [squared, hinge] }             | train:.*          | train.loss: hinge needs class targets (+1/-1 or one-hot), and data.labels 'random' are real-valued
            early stop, no squared | train: { loss: [hinge, cross-entropy], early_stop: true } | train:.* | train.early_stop: must be false with loss hinge, cross-entropy
            margin, squared list   | train: { loss: [squared], margin: 0.5 }       | train:.*          | train.margin: is only for losses cross-entropy and hinge, got loss squared
            cross-entropy random   | train: { loss: cross-entropy }                | train:.*          | train.loss: cross-entropy needs class targets (+1/-1 or one-hot), and data.labels 'random' are real-valued
            negative margin        | train: { loss: hinge, margin: -1 }            | train:.*          | train.margin: must be a finite number >= 0, got -1.0
            margin a word          | train: { loss: hinge, margin: wide }          | train:.*          | train.margin: must be a finite number >= 0, got 'wide'
            margin infinite        | train: { loss: hinge, margin: .inf }          | train:.*          | train.margin: must be a finite number >= 0
            margin with squared    | train: { margin: 0.5 }                        | train:.*          | train.margin: is only for losses cross-entropy and hinge, got loss squared
            early stop with hinge  | train: { loss: hinge, early_stop: true }      | train:.*          | train.early_stop: must be false with loss hinge
            mnist random labels    | data: { kind: fashion-mnist, labels: random } | data:.*           | data.labels: for kind fashion-mnist must be one of [natural, shuffled], got 'random'
            """)
    void badJobsNameTheFieldAndWhatIsAllowed(String label, String line, String replaces, String message) {
        String text = replaces == null ? GOOD + line + "\n" : GOOD.replaceFirst("(?m)^" + replaces + "$", line);
        JobException e = assertThrows(JobException.class, () -> JobParser.parse(text, "x"), label);
        assertTrue(e.getMessage().startsWith(message.strip()), "got: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void aClassificationLossIsAGridDimensionAndRoundTrips() {
        String cls = GOOD.replace("labels: random", "labels: teacher-class");
        Job squared = JobParser.parse(cls, "x");
        Job ce = JobParser.parse(cls.replace("precision: float64", "precision: float64, loss: cross-entropy"), "x");
        Job hinge = JobParser.parse(cls.replace("precision: float64", "precision: float64, loss: hinge"), "x");
        Job margin =
                JobParser.parse(cls.replace("precision: float64", "precision: float64, loss: hinge, margin: 0.5"), "x");
        Job explicit = JobParser.parse(
                cls.replace("precision: float64", "precision: float64, loss: hinge, margin: 0, early_stop: false"),
                "x");
        assertEquals(Loss.SQUARED, squared.train().loss());
        assertTrue(squared.train().earlyStop());
        assertEquals(Loss.CROSS_ENTROPY, ce.train().loss());
        assertFalse(ce.train().earlyStop(), "early stop is off by default for a classification loss");
        assertEquals(0.5, margin.train().margin(), 0);
        // The loss is a grid dimension (in the cell ids, so in the probe ids); a margin other than 0 is in the hash.
        assertEquals(squared.hash(), ce.hash());
        assertEquals(squared.hash(), hinge.hash());
        assertNotEquals(hinge.hash(), margin.hash(), "another margin is another job");
        assertEquals(
                3,
                java.util.stream.Stream.of(squared, ce, hinge)
                        .map(j -> j.cells().get(0).cellId())
                        .distinct()
                        .count(),
                "another loss is another cell");
        assertEquals(
                "two-layer-L2-d5-sphere-teacher-class-hidden-relu-cross-entropy-n8-s0",
                ce.cells().get(0).cellId());
        assertEquals(hinge.hash(), explicit.hash(), "the defaults spelled out");
        JobException mixed = assertThrows(
                JobException.class,
                () -> JobParser.parse(
                        cls.replace("labels: teacher-class", "labels: [teacher-class, teacher]")
                                .replace("precision: float64", "precision: float64, loss: hinge"),
                        "x"));
        assertTrue(mixed.getMessage().startsWith("train.loss: hinge needs class targets"), mixed.getMessage());
        // A squared-loss job's recipe (so its hash) holds neither key: hashes from before the keys stand.
        ObjectNode plain = JobParser.normalised(JobParser.parse(GOOD, "x"));
        assertFalse(plain.get("train").has("loss"));
        assertFalse(plain.get("train").has("margin"));
        for (Job j : List.of(ce, margin))
            assertEquals(j, JobParser.parseStored(JobParser.toYaml(JobParser.normalised(j))));
        // An OUT made when a classification loss was in the recipe says why its hash differs.
        ObjectNode before = JobParser.normalised(ce);
        ((ObjectNode) before.get("train")).put("margin", 0.0);
        String why = JobParser.differences(before, JobParser.normalised(ce));
        assertTrue(why.contains("its recipe named the loss cross-entropy"), why);
    }

    @Test
    void sgdIsInTheRecipeAndTheHashAndAGdJobKeepsItsOwn() {
        Job gd = JobParser.parse(GOOD, "x");
        Job sgd = JobParser.parse(
                GOOD.replace("precision: float64", "precision: float64, optimizer: sgd, batch: 4"), "x");
        Job spelled = JobParser.parse(GOOD.replace("precision: float64", "precision: float64, optimizer: gd"), "x");
        Job other = JobParser.parse(
                GOOD.replace("precision: float64", "precision: float64, optimizer: sgd, batch: 8"), "x");
        assertEquals(Optimizer.GD, gd.train().optimizer());
        assertTrue(sgd.train().stochastic());
        assertEquals(4, sgd.train().batch());
        assertEquals(4, sgd.train(Loss.SQUARED).batch(), "every loss's recipe has the job's optimizer");
        assertTrue(sgd.train(Loss.SQUARED).stochastic());
        assertEquals(gd.hash(), spelled.hash(), "gd spelled out is the default");
        assertNotEquals(gd.hash(), sgd.hash(), "sgd is another job");
        assertNotEquals(sgd.hash(), other.hash(), "another minibatch is another job");
        assertEquals(gd.cells(), sgd.cells(), "the same grid");
        ObjectNode plain = JobParser.normalised(gd);
        assertFalse(plain.get("train").has("optimizer"), "a GD job's recipe, so its hash, is as before");
        assertFalse(plain.get("train").has("batch"));
        ObjectNode norm = JobParser.normalised(sgd);
        assertEquals("sgd", norm.get("train").get("optimizer").asText());
        assertEquals(4, norm.get("train").get("batch").asInt());
        assertEquals(sgd, JobParser.parseStored(JobParser.toYaml(norm)));
        String why = JobParser.differences(plain, norm);
        assertTrue(why.contains("train differs") && why.contains("sgd"), why);
    }

    @Test
    void aListOfLossesIsOneGroupPerLossOverTheSameGrid() {
        String cls = GOOD.replace("labels: random", "labels: teacher-class");
        Job squared = JobParser.parse(cls, "x");
        Job both = JobParser.parse(
                cls.replace("precision: float64", "precision: float64, loss: [squared, cross-entropy]"), "x");
        assertEquals(List.of(Loss.SQUARED, Loss.CROSS_ENTROPY), both.grid().losses());
        assertEquals(2 * squared.cells().size(), both.cells().size());
        // The squared cells are the squared-only job's, ids and hash alike: their probes are the same.
        assertEquals(squared.hash(), both.hash(), "a job may gain a loss");
        assertEquals(squared.cells(), both.cells().subList(0, squared.cells().size()));
        java.util.Map<org.widthlaw.lib.reduce.GroupKey, Long> groups = both.cells().stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        Cell::group, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        assertEquals(2, groups.size(), groups.toString());
        for (long count : groups.values()) assertEquals(squared.cells().size(), count);
        Cell ce = both.cells().get(squared.cells().size());
        assertEquals(Loss.CROSS_ENTROPY, ce.loss());
        assertEquals(Loss.CROSS_ENTROPY, ce.group().loss());
        assertTrue(
                ce.group().toString().endsWith(", loss=cross-entropy]"),
                ce.group().toString());
        assertFalse(both.cells().get(0).group().toString().contains("loss"), "a squared group's key is as before");
        assertNotEquals(
                Sweep.probeId(both.hash(), both.cells().get(0).cellId(), 4),
                Sweep.probeId(both.hash(), ce.cellId(), 4));

        // Early stop (on by default with squared listed) applies to the squared cells only.
        assertTrue(both.grid().earlyStop());
        assertTrue(both.train(Loss.SQUARED).earlyStop());
        assertFalse(both.train(Loss.CROSS_ENTROPY).earlyStop());
        assertEquals(Loss.SQUARED, both.train().loss(), "the job's recipe is its first loss's");
        Job off = JobParser.parse(
                cls.replace("precision: float64", "precision: float64, loss: [squared, hinge], early_stop: false"),
                "x");
        assertFalse(off.train(Loss.SQUARED).earlyStop());
        Job on = JobParser.parse(
                cls.replace(
                        "precision: float64", "precision: float64, loss: [cross-entropy, squared], early_stop: true"),
                "x");
        assertTrue(on.train(Loss.SQUARED).earlyStop());
        assertFalse(on.train().earlyStop(), "the first loss is cross-entropy");
        Job onlyCls = JobParser.parse(
                cls.replace("precision: float64", "precision: float64, loss: [cross-entropy, hinge]"), "x");
        assertFalse(onlyCls.grid().earlyStop(), "off by default without squared");

        // The margin applies to the classification cells only, and is in the hash.
        Job margin = JobParser.parse(
                cls.replace("precision: float64", "precision: float64, loss: [squared, hinge], margin: 0.25"), "x");
        assertEquals(0, margin.train(Loss.SQUARED).margin(), 0);
        assertEquals(0.25, margin.train(Loss.HINGE).margin(), 0);
        assertNotEquals(squared.hash(), margin.hash());

        // The normalised job lists the losses and parses back to the same job and hash.
        ObjectNode norm = JobParser.normalised(both);
        assertEquals(
                "[\"squared\",\"cross-entropy\"]", norm.get("train").get("loss").toString());
        for (Job j : List.of(both, off, on, onlyCls, margin))
            assertEquals(j, JobParser.parseStored(JobParser.toYaml(JobParser.normalised(j))));
    }

    @Test
    void aCsvJobInfersDAndStatesItInTheNormalisedJob(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("data.csv"), "a,b,c,y\n1,2,3,4\n5,6,7,8\n");
        String body = "model: { arch: two-layer }\ngrid: { n: [2], seeds: 1 }\n";
        Path file = dir.resolve("csv.yaml");
        Files.writeString(file, "data: { kind: csv, path: data.csv }\n" + body);
        Job inferred = JobParser.parse(file);
        assertEquals(3, inferred.data().d());
        assertEquals(CsvHeader.AUTO, inferred.data().header());
        assertTrue(
                inferred.cells().get(0).cellId().contains("-d3-"),
                inferred.cells().get(0).cellId());
        ObjectNode norm = JobParser.normalised(inferred);
        assertEquals(3, norm.get("data").get("d").asInt());
        assertEquals("auto", norm.get("data").get("header").asText());
        assertEquals(
                dir.resolve("data.csv").toString(), norm.get("data").get("path").asText());
        Files.delete(dir.resolve("data.csv"));
        Job back = JobParser.parseStored(JobParser.toYaml(norm));
        assertEquals(inferred, back, "the stored job needs no data file to parse back");

        Files.writeString(dir.resolve("data.csv"), "a,b,c,y\n1,2,3,4\n5,6,7,8\n");
        Job given = JobParser.parse("data: { kind: csv, path: data.csv, d: 3 }\n" + body, "csv", dir);
        Job auto = JobParser.parse("data: { kind: csv, path: data.csv, header: auto }\n" + body, "csv", dir);
        Job two = JobParser.parse("data: { kind: csv, path: data.csv, outputs: 2 }\n" + body, "csv", dir);
        assertEquals(inferred.hash(), given.hash(), "an inferred d hashes as the same d given");
        assertEquals(inferred.hash(), auto.hash(), "header: auto is the default");
        assertEquals(2, two.data().d());

        Job stated = JobParser.parse("data: { kind: csv, path: data.csv, header: true }\n" + body, "csv", dir);
        assertEquals(CsvHeader.PRESENT, stated.data().header());
        assertNotEquals(inferred.hash(), stated.hash(), "a stated header is in the hash");
        ObjectNode statedNorm = JobParser.normalised(stated);
        assertTrue(statedNorm.get("data").get("header").isBoolean());
        assertEquals(stated, JobParser.parseStored(JobParser.toYaml(statedNorm)));
        Job never = JobParser.parse("data: { kind: csv, path: data.csv, header: false }\n" + body, "csv", dir);
        assertEquals(CsvHeader.ABSENT, never.data().header());
        assertNotEquals(stated.hash(), never.hash());

        JobException tooFew = assertThrows(
                JobException.class,
                () -> JobParser.parse("data: { kind: csv, path: data.csv, outputs: 4 }\n" + body, "csv", dir));
        assertTrue(tooFew.getMessage().startsWith("data.d: cannot be inferred: "), tooFew.getMessage());
        JobException missing = assertThrows(
                JobException.class, () -> JobParser.parse("data: { kind: csv, path: nope.csv }\n" + body, "csv", dir));
        assertEquals("data.path: " + dir.resolve("nope.csv") + " not found", missing.getMessage());
        Files.writeString(dir.resolve("mixed.csv"), "x,2,y\n1,2,3\n");
        JobException mixed = assertThrows(
                JobException.class, () -> JobParser.parse("data: { kind: csv, path: mixed.csv }\n" + body, "csv", dir));
        assertTrue(mixed.getMessage().contains("mixed.csv, line 1, column 2: the first row mixes"), mixed.getMessage());
        Path mixedJob = dir.resolve("mixed.yaml");
        Files.writeString(mixedJob, "data: { kind: csv, path: mixed.csv }\n" + body);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(
                new String[] {
                    "run", mixedJob.toString(), "--out", dir.resolve("out").toString()
                },
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals(
                "widthlaw: " + mixed.getMessage(),
                err.toString(StandardCharsets.UTF_8).strip());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void theHashCoversTheDataBytesNotTheirPath(@TempDir Path dir) throws Exception {
        String job = "name: c\ndata: { kind: csv, d: 3, path: PATH }\nmodel: { arch: two-layer }\n"
                + "grid: { n: [2], seeds: 1 }\n";
        Path a = dir.resolve("a.csv"), b = dir.resolve("b.csv"), c = dir.resolve("c.csv");
        Files.writeString(a, "1,2,3,4\n5,6,7,8\n");
        Files.writeString(b, "1,2,3,4\n5,6,7,8\n");
        Files.writeString(c, "1,2,3,4\n5,6,7,9\n");
        Job ja = JobParser.parse(job.replace("PATH", a.toString()), "x");
        assertEquals(
                ja.hash(),
                JobParser.parse(job.replace("PATH", b.toString()), "x").hash(),
                "same bytes");
        assertNotEquals(
                ja.hash(),
                JobParser.parse(job.replace("PATH", c.toString()), "x").hash(),
                "other bytes");
        // The numerics version is part of the recipe.
        assertEquals(
                org.widthlaw.lib.train.Numerics.VERSION,
                JobParser.normalised(ja).get("numerics").asInt());
        // A stored job keeps its recorded digest: fit and report need no data at hand.
        String stored = JobParser.toYaml(JobParser.normalised(ja));
        Files.delete(a);
        assertEquals(ja.hash(), JobParser.parseStored(stored).hash());
        JobException gone =
                assertThrows(JobException.class, () -> JobParser.parse(job.replace("PATH", a.toString()), "x"));
        assertTrue(gone.getMessage().startsWith("data.path: "), gone.getMessage());
    }

    @Test
    void yamlSyntaxErrorsAndMissingFilesAreBadInput(@TempDir Path dir) throws Exception {
        JobException syntax = assertThrows(JobException.class, () -> JobParser.parse("data: {d: 5\nmodel: x", "x"));
        assertTrue(syntax.getMessage().startsWith("job: not valid YAML at line"), syntax.getMessage());
        JobException dup = assertThrows(JobException.class, () -> JobParser.parse(GOOD + "name: again\n", "x"));
        assertTrue(dup.getMessage().contains("Duplicate field 'name'"), dup.getMessage());
        JobException missing = assertThrows(JobException.class, () -> JobParser.parse(dir.resolve("nope.yaml")));
        assertTrue(missing.getMessage().startsWith("job: file not found: "), missing.getMessage());
    }

    @Test
    void theCliExitsTwoWithOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("bad.yaml");
        Files.writeString(job, GOOD.replace("d: 5", "d: -3"));
        Path out = dir.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(
                new String[] {"run", job.toString(), "--out", out.toString(), "--master", "local[1]"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        String msg = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals("widthlaw: data.d: must be an integer in [1, 100000], got -3", msg);
        assertFalse(Files.exists(out));
        int usage = Main.execute(
                new String[] {"run"},
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(2, usage);
    }

    @Test
    void planPrintsCellsAndCostWithoutComputing(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("tiny.yaml");
        Files.writeString(job, GOOD);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.execute(
                new String[] {"plan", job.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("two-layer-L2-d5-sphere-random-hidden-relu-n16-s1"), text);
        assertTrue(text.contains("4 cells; about"), text);
        assertFalse(Files.exists(dir.resolve("results")));

        // SGD: the plan says what a step is, and an epoch costs two passes (minibatches, then the full r).
        String sgdText = GOOD.replace("precision: float64", "precision: float64, optimizer: sgd, batch: 4");
        Files.writeString(job, sgdText);
        ByteArrayOutputStream sgdOut = new ByteArrayOutputStream();
        assertEquals(
                0,
                Main.execute(
                        new String[] {"plan", job.toString()},
                        new PrintStream(sgdOut, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream())));
        assertTrue(sgdOut.toString(StandardCharsets.UTF_8).contains("T=[3000] SGD epochs (minibatches of 4)"));
        Job gd = JobParser.parse(GOOD, "x"), sgd = JobParser.parse(sgdText, "x");
        for (int i = 0; i < gd.cells().size(); i++) {
            Planner.Estimate a = Planner.estimate(gd, gd.cells().get(i), 10);
            Planner.Estimate b = Planner.estimate(sgd, sgd.cells().get(i), 10);
            assertEquals(a.probes(), b.probes());
            assertEquals(2 * a.flops(), b.flops(), 1e-9 * a.flops());
        }
    }

    /** A data path given as a URI stays a URI (no executor-side path mangling); an unknown scheme is one line. */
    @Test
    void aDataPathMayBeAUri(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("u.csv");
        Files.writeString(csv, "1,2,3,4\n5,6,7,8\n");
        String job =
                "name: u\ndata: { kind: csv, path: PATH }\nmodel: { arch: two-layer }\ngrid: { n: [2], seeds: 1 }\n";
        Job j = JobParser.parse(job.replace("PATH", csv.toUri().toString()), "x");
        assertEquals(csv.toUri().toString(), j.data().path());
        assertEquals(3, j.data().d(), "d inferred through the URI");
        assertEquals(JobParser.parse(job.replace("PATH", csv.toString()), "x").hash(), j.hash(), "same bytes");
        JobException e = assertThrows(
                JobException.class, () -> JobParser.parse(job.replace("PATH", "nosuchfs://host/x.csv"), "x"));
        assertTrue(e.getMessage().startsWith("data.path: cannot read nosuchfs://host/x.csv"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
