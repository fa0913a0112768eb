package org.widthlaw.driver;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.Named;
import org.widthlaw.lib.data.CsvData;
import org.widthlaw.lib.data.CsvHeader;
import org.widthlaw.lib.data.DataDigest;
import org.widthlaw.lib.data.DataFiles;
import org.widthlaw.lib.data.DataKind;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.search.SearchSpec;
import org.widthlaw.lib.train.Numerics;
import org.widthlaw.lib.train.Optimizer;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.TrainSpec;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a job file (YAML) into a validated {@link Job}. Unknown keys, wrong types and values out
 * of range are {@link JobException}s whose message names the field and what is allowed; nothing
 * is computed or written before a job has passed. A job file is one YAML document of UTF-8 text
 * and at most {@link #MAX_JOB_BYTES}; numbers are finite (docs/ARCHITECTURE.md, "Job file").
 */
public final class JobParser {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** The largest job file read: job files are a few lines, and a larger one is a wrong path. */
    public static final int MAX_JOB_BYTES = 1 << 20;
    /** The deepest nesting of mappings and lists in a job file (a job nests two). */
    static final int MAX_DEPTH = 16;
    /** The longest number in a job file, in characters. */
    static final int MAX_NUMBER_CHARS = 100;

    static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .loaderOptions(loaderOptions())
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxDocumentLength(MAX_JOB_BYTES)
                            .maxStringLength(MAX_JOB_BYTES)
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER_CHARS)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    static final ObjectMapper JSON = new ObjectMapper();
    public static final int MAX_N = 10_000_000;
    public static final int MAX_CELLS = 1_000_000;

    private JobParser() {}

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_JOB_BYTES);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setMaxAliasesForCollections(10);
        return o;
    }

    public static Job parse(Path file) {
        String text = read(file);
        String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, base, dir == null ? Path.of("") : dir);
    }

    /**
     * The text of a job file: at most {@link #MAX_JOB_BYTES} bytes are read (so a device such as
     * {@code /dev/zero} is refused, not read without end), and they must be UTF-8.
     */
    private static String read(Path file) {
        if (Files.isDirectory(file)) throw new JobException("job", file + " is a directory, not a job file");
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_JOB_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new JobException("job", "file not found: " + file);
        } catch (FileSystemException e) {
            throw new JobException("job", "cannot read " + file + ": " + e.getReason());
        } catch (IOException e) {
            throw new JobException("job", "cannot read " + file + ": " + e.getMessage());
        }
        if (bytes.length > MAX_JOB_BYTES) throw tooLarge(file.toString());
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new JobException("job", file + " is not UTF-8 text");
        }
    }

    private static JobException tooLarge(String what) {
        return new JobException(
                "job", what + " is larger than " + MAX_JOB_BYTES + " bytes (1 MiB), the most a job file may hold");
    }

    /** Parses job text; {@code defaultName} is used when the job has no name. */
    public static Job parse(String text, String defaultName) {
        return parse(text, defaultName, Path.of(""));
    }

    /** Parses job text; relative data paths are resolved against {@code baseDir} (the job file's folder). */
    public static Job parse(String text, String defaultName, Path baseDir) {
        return parse(text, defaultName, baseDir, null);
    }

    /**
     * Parses job text; {@code content}, when not null, is the data's recorded content digest
     * (a stored job: its data need not be at hand), otherwise the data files are digested.
     */
    private static Job parse(String text, String defaultName, Path baseDir, String content) {
        if (text.length() > MAX_JOB_BYTES) throw tooLarge("the job");
        JsonNode root = readOne(text);
        if (root == null || root.isMissingNode() || root.isNull()) throw new JobException("job", "the file is empty");
        Obj top = new Obj(root, "");
        top.allow("name", "data", "model", "grid", "search", "train", "output");
        String name = top.str("name", defaultName);
        if (!NAME.matcher(name).matches()) {
            throw new JobException(
                    "name", "must be letters, digits, '.', '_' or '-' (at most 100), got " + Checks.quote(name));
        }
        try {
            Obj data = top.obj("data", true);
            List<String> labels = data.has("labels") ? data.strList("labels") : null;
            List<DataSpec> dataSpecs = new ArrayList<>();
            for (String l : labels == null ? java.util.Collections.<String>singletonList(null) : labels) {
                dataSpecs.add(data(data, baseDir, l));
            }
            DataSpec dataSpec = dataSpecs.get(0);

            Obj model = top.obj("model", true);
            model.allow("arch", "trained", "activation", "c_sigma", "c_res", "kernel");
            if (!model.has("arch")) {
                throw new JobException(
                        "model.arch", "is required: one of " + Named.ids(Arch.values()) + ", or a list of them");
            }
            List<Arch> archs = model.strList("arch").stream()
                    .map(a -> Arch.of(a, "model.arch"))
                    .toList();
            Obj grid = top.obj("grid", true);
            grid.allow("depth", "n", "seeds");
            boolean onlyTwoLayer = archs.stream().allMatch(Arch.TWO_LAYER::equals);
            List<Integer> depths = grid.intList("depth", onlyTwoLayer ? List.of(2) : null, 1);
            List<Integer> ns = grid.intList("n", null, 1);
            for (int n : ns) Checks.inRange(n, 1, MAX_N, "grid.n");
            List<Long> seeds = grid.seeds();
            ModelSpec first = null;
            Trained trained = Trained.of(model.str("trained", Trained.HIDDEN.id()), "model.trained");
            Activation activation = Activation.of(model.str("activation", Activation.RELU.id()), "model.activation");
            Kernel kernel = kernel(model, archs, dataSpec.d());
            for (Arch arch : archs) {
                for (int depth : depths) {
                    ModelSpec m = new ModelSpec(
                            arch,
                            depth,
                            trained,
                            activation,
                            model.number("c_sigma", Double.NaN),
                            model.number("c_res", 0.5),
                            arch == Arch.CNN ? kernel.q() : 0,
                            arch == Arch.CNN && kernel.square());
                    if (first == null) first = m;
                }
            }

            Obj search = top.obj("search", false);
            search.allow("min_width", "max_width", "resolution", "audit", "warm_start");
            SearchSpec ss = new SearchSpec(
                    search.integer("min_width", 1),
                    search.integer("max_width", 4096),
                    search.number("resolution", 1.0),
                    search.bool("audit", true),
                    search.bool("warm_start", false));

            Obj train = top.obj("train", false);
            train.allow(
                    "steps", "tol", "lr", "c_eta", "precision", "early_stop", "loss", "margin", "optimizer", "batch");
            double lr = train.has("lr")
                            && train.node("lr").isTextual()
                            && train.node("lr").asText().equals("auto")
                    ? Double.NaN
                    : train.number("lr", Double.NaN);
            if (!Double.isNaN(lr) && !(lr > 0))
                throw new JobException("train.lr", "must be " + allowed("train.lr") + ", got " + lr);
            // train.loss: a loss or a list of them, each its own group of cells (like labels and arch).
            List<Loss> losses = train.has("loss")
                    ? train.strList("loss").stream()
                            .map(l -> Loss.of(l, "train.loss"))
                            .toList()
                    : List.of(Loss.SQUARED);
            Loss firstLoss = losses.get(0);
            boolean anySquared = losses.contains(Loss.SQUARED);
            Loss classLoss =
                    losses.stream().filter(Loss::classification).findFirst().orElse(null);
            // Early stop judges the loss against tol: it applies to the squared-loss cells only, and is on
            // by default when the job has some; a job of classification losses only may not turn it on.
            boolean earlyStop = train.bool("early_stop", anySquared);
            if (earlyStop && !anySquared) {
                throw new JobException(
                        "train.early_stop",
                        "must be false with loss " + String.join(", ", Named.ids(losses.toArray(Named[]::new)))
                                + " (success is judged by accuracy, not by the loss)");
            }
            double margin = train.number("margin", 0.0);
            List<Integer> budgets = train.intList("steps", List.of(20_000), 1);
            double tol = train.number("tol", 1e-4);
            double cEta = train.number("c_eta", 1.0);
            Precision precision = Precision.of(train.str("precision", Precision.FLOAT64.id()), "train.precision");
            // The margin is checked against a classification loss of the job (squared: it must be 0).
            new TrainSpec(
                    budgets, tol, lr, cEta, precision, false, classLoss == null ? Loss.SQUARED : classLoss, margin);
            TrainSpec ts = new TrainSpec(
                    budgets,
                    tol,
                    lr,
                    cEta,
                    precision,
                    earlyStop && !firstLoss.classification(),
                    firstLoss,
                    firstLoss.classification() ? margin : 0);
            // train.optimizer: gd (default) or sgd, which needs train.batch, at most the grid's smallest n.
            Optimizer optimizer = Optimizer.of(train.str("optimizer", Optimizer.GD.id()), "train.optimizer");
            if (optimizer == Optimizer.SGD) {
                if (!train.has("batch"))
                    throw new JobException("train.batch", "is needed with optimizer sgd: " + allowed("train.batch"));
                int batch = train.integer("batch", 0);
                int smallest = ns.stream().mapToInt(Integer::intValue).min().orElseThrow();
                if (batch < 1 || batch > smallest)
                    throw new JobException(
                            "train.batch",
                            "must be " + allowed("train.batch") + " (the grid's smallest n is " + smallest + "), got "
                                    + batch);
                ts = ts.sgd(batch);
            } else if (train.has("batch")) {
                throw new JobException("train.batch", "is only for optimizer sgd (train.optimizer: sgd)");
            }
            if (classLoss != null) {
                for (DataSpec ds : dataSpecs) {
                    if (ds.labels() == Labels.RANDOM || ds.labels() == Labels.TEACHER) {
                        throw new JobException(
                                "train.loss",
                                classLoss.id() + " needs class targets (+1/-1 or one-hot), and data.labels '"
                                        + ds.labels().id() + "' are real-valued: use labels teacher-class (sphere),"
                                        + " natural or shuffled (fashion-mnist), or loss squared");
                    }
                }
            }

            String output = top.str("output", "results/" + name);
            if (output.isBlank())
                throw new JobException("output", "must be a directory path or URI, got an empty string");
            long cells =
                    (long) archs.size() * dataSpecs.size() * losses.size() * depths.size() * ns.size() * seeds.size();
            if (cells > MAX_CELLS)
                throw new JobException("grid", "has " + cells + " cells; at most " + MAX_CELLS + " are allowed");
            Job.Grid g = new Job.Grid(
                    archs,
                    dataSpecs.stream().map(DataSpec::labels).toList(),
                    depths,
                    ns,
                    seeds,
                    kernel.q(),
                    kernel.square(),
                    losses,
                    earlyStop,
                    margin);
            if (content == null) {
                DataDigest.checkLocal(dataSpec); // bounded before a byte is read
                DataFetch.fetch(DataDigest.files(dataSpec)); // read once, by the driver
            }
            String digest = content != null ? content : DataDigest.of(dataSpec);
            String hash = hash(recipe(dataSpec, first, ss, ts, margin, digest, kernel.q(), kernel.square()));
            return new Job(name, dataSpec, first, g, ss, ts, output, hash, digest);
        } catch (Checks.InvalidValue e) {
            throw new JobException(e.getMessage());
        }
    }

    /** model.kernel: q (1-D) or [q, q] (2-D), 0 without cnn. */
    private record Kernel(int q, boolean square) {}

    /**
     * model.kernel, the filter size of cnn (docs/METHOD.md section 3): q for filters over the d
     * inputs, or [q, q] for q x q filters over the side x side grid of an image (d = side^2, raster
     * order); {@link ModelSpec#DEFAULT_KERNEL} when the grid has cnn and names none, 0 when it has
     * no cnn.
     */
    private static Kernel kernel(Obj model, List<Arch> archs, int d) {
        boolean cnn = archs.contains(Arch.CNN);
        if (!model.has("kernel")) return new Kernel(cnn ? ModelSpec.DEFAULT_KERNEL : 0, false);
        if (!cnn) {
            throw new JobException(
                    "model.kernel",
                    "applies to arch cnn only; model.arch is " + Named.ids(archs.toArray(Named[]::new)));
        }
        if (model.node("kernel").isArray()) {
            List<Integer> qq = new ArrayList<>();
            for (JsonNode v : model.node("kernel")) qq.add(Obj.toInt(v, "model.kernel"));
            int side = (int) Math.round(Math.sqrt(d));
            if (qq.size() != 2 || !qq.get(0).equals(qq.get(1)) || qq.get(0) < 1) {
                throw new JobException("model.kernel", "must be q or [q, q] (a square filter), got " + qq);
            }
            if (side * side != d) {
                throw new JobException(
                        "model.kernel", "[q, q] needs data.d = side^2 inputs (an image in raster order), got d = " + d);
            }
            if (qq.get(0) > side) {
                throw new JobException(
                        "model.kernel", "[q, q] must have q at most the image side " + side + ", got " + qq.get(0));
            }
            return new Kernel(qq.get(0), true);
        }
        int q = model.integer("kernel", ModelSpec.DEFAULT_KERNEL);
        if (q < 1 || q > d) {
            throw new JobException(
                    "model.kernel",
                    "must be an integer in [1, " + d + "] (at most data.d, the input positions), got " + q);
        }
        return new Kernel(q, false);
    }

    /** The data section with one value of labels (null: the kind's default). */
    private static DataSpec data(Obj data, Path baseDir, String labelsId) {
        data.allow("kind", "d", "labels", "outputs", "path", "classes", "header");
        DataKind kind = DataKind.of(data.str("kind", DataKind.SPHERE.id()), "data.kind");
        Labels labels = labels(labelsId, kind);
        if (kind != DataKind.CSV && data.has("header")) throw new JobException("data.header", "is only for kind csv");
        switch (kind) {
            case FASHION_MNIST -> {
                List<Integer> classes = data.has("classes") ? data.intList("classes", null, 0) : List.of();
                int k = DataSpec.mnistOutputs(classes);
                return new DataSpec(
                        kind,
                        data.integer("d", DataSpec.MNIST_PIXELS),
                        labels == null ? Labels.NATURAL : labels,
                        data.integer("outputs", k),
                        resolve(data.str("path", DataSpec.MNIST_DIR), baseDir),
                        classes);
            }
            case CSV -> {
                if (data.has("classes")) throw new JobException("data.classes", "is only for kind fashion-mnist");
                String path = resolve(data.str("path", null), baseDir);
                CsvHeader header = header(data);
                int outputs = data.integer("outputs", 1);
                // Without d, the file's first data row gives it; the normalised job then states it.
                if (!data.has("d") && path != null) {
                    if (DataDigest.local(path)) DataFiles.regular(Path.of(path), DataFiles.MAX_CSV_BYTES);
                    DataFetch.fetch(List.of(path));
                }
                int d = data.has("d")
                        ? data.integer("d", null)
                        : CsvData.features(path, header, Checks.inRange(outputs, 1, 1000, "data.outputs"));
                return new DataSpec(kind, d, labels == null ? Labels.GIVEN : labels, outputs, path, List.of(), header);
            }
            case SPHERE -> {
                if (data.has("path")) throw new JobException("data.path", "is only for kinds fashion-mnist and csv");
                if (data.has("classes")) throw new JobException("data.classes", "is only for kind fashion-mnist");
                return new DataSpec(
                        kind,
                        data.integer("d", null),
                        labels == null ? Labels.RANDOM : labels,
                        data.integer("outputs", 1),
                        null,
                        List.of());
            }
            default -> throw new IllegalStateException(kind.id());
        }
    }

    /**
     * The labels named {@code id} (null: none given), with the message DataSpec gives for labels its kind does not
     * take.
     */
    private static Labels labels(String id, DataKind kind) {
        if (id == null) return null;
        for (Labels l : Labels.values()) if (l.id().equals(id)) return l;
        List<Labels> allowed = switch (kind) {
            case SPHERE -> DataSpec.SPHERE_LABELS;
            case FASHION_MNIST -> DataSpec.MNIST_LABELS;
            case CSV -> List.of(Labels.GIVEN);
        };
        if (kind == DataKind.CSV)
            throw new JobException("data.labels", "for kind csv must be 'given', got '" + id + "'");
        throw new JobException(
                "data.labels",
                "for kind " + kind.id() + " must be one of " + Named.ids(allowed.toArray(Labels[]::new)) + ", got '"
                        + id + "'");
    }

    /**
     * {@code data.header}: true, false or auto (the default: the first row is a header exactly when
     * every field of it is text).
     */
    private static CsvHeader header(Obj data) {
        if (!data.has("header")) return CsvHeader.AUTO;
        JsonNode v = data.node("header");
        if (v.isBoolean()) return v.asBoolean() ? CsvHeader.PRESENT : CsvHeader.ABSENT;
        if (v.isTextual() && v.asText().equals(CsvHeader.AUTO.id())) return CsvHeader.AUTO;
        throw new JobException("data.header", "must be true, false or auto, got " + Obj.kind(v));
    }

    private static String resolve(String path, Path baseDir) {
        if (path.contains("://") || path.startsWith("/")) return path;
        return baseDir.resolve(path).toAbsolutePath().normalize().toString();
    }

    /**
     * The one YAML document of {@code text}. A second document (after {@code ---}) is an error, not
     * ignored; an empty one after the first is allowed.
     */
    private static JsonNode readOne(String text) {
        JsonParser p;
        try {
            p = YAML.createParser(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a String reader does not fail
        }
        try (p) {
            JsonNode root = YAML.readTree(p);
            JsonToken next = p.nextToken();
            if (next != null && next != JsonToken.VALUE_NULL) {
                throw new JobException(
                        "job",
                        "holds a second YAML document (from line "
                                + p.currentLocation().getLineNr()
                                + "); a job file is one document: remove the '---' and what follows, or merge them");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw yamlError(e, p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A YAML or JSON parse error of {@code p} as one line: a malformed number ({@code .nan},
     * {@code .inf}) names its field and what is allowed, a value beyond a read limit its field; a
     * syntax error gives the line, column, problem and context.
     */
    private static JobException yamlError(JsonProcessingException e, JsonParser p) {
        String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        String field = field(p.getParsingContext());
        if (msg.startsWith("Malformed numeric value") && !field.isEmpty()) {
            String value = msg.replaceFirst("(?s)^[^']*'(.*)'.*$", "$1");
            return new JobException(field, "must be " + allowed(field) + ", got " + Checks.quote(value));
        }
        if (e instanceof StreamConstraintsException && !field.isEmpty()) {
            String said = oneLine(msg.replaceFirst(", from `[^`]*`", ""));
            return new JobException(
                    field, said.isEmpty() ? said : Character.toLowerCase(said.charAt(0)) + said.substring(1));
        }
        return new JobException("job", "not valid YAML " + where(e));
    }

    /**
     * Where and why YAML text failed to parse, on one line: {@code at line L, column C: PROBLEM
     * (CONTEXT from line L, column C)} for a syntax error, {@code at line L: MESSAGE} otherwise.
     */
    static String where(JsonProcessingException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                Mark at = m.getProblemMark();
                String context = "";
                if (m.getContext() != null) {
                    context = " (" + oneLine(m.getContext());
                    if (m.getContextMark() != null) {
                        context += " from line " + (m.getContextMark().getLine() + 1) + ", column "
                                + (m.getContextMark().getColumn() + 1);
                    }
                    context += ")";
                }
                return "at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ": "
                        + oneLine(m.getProblem()) + context;
            }
        }
        String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        return (e.getLocation() == null ? "" : "at line " + e.getLocation().getLineNr()) + ": " + oneLine(msg);
    }

    /** The dotted job field a parser is at, e.g. {@code train.lr}; empty at the top. */
    private static String field(JsonStreamContext ctx) {
        List<String> names = new ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) names.add(0, c.getCurrentName());
        }
        return String.join(".", names);
    }

    /** {@code text} (another library's message) on one line of at most 300 characters. */
    static String oneLine(String text) {
        String t = String.valueOf(text).strip().replaceAll("\\s*\\R\\s*", " ");
        return t.length() <= 300 ? t : t.substring(0, 300) + " ...";
    }

    /** What a numeric job field allows, for its messages (the records check the same ranges). */
    static String allowed(String field) {
        return switch (field) {
            case "data.d" ->
                "an integer in [1, " + DataSpec.MAX_D + "] ([1, " + DataSpec.MNIST_PIXELS + "] for fashion-mnist)";
            case "data.outputs" -> "an integer in [1, 1000]";
            case "data.classes" -> "a list of distinct integers in [0, 9]";
            case "grid.depth" -> "an integer in [2, " + ModelSpec.MAX_DEPTH + "] or a list of them";
            case "grid.n" -> "an integer in [1, " + MAX_N + "] or a list of them";
            case "grid.seeds" ->
                "a count in [1, 10000] or a list of distinct integers in [0, " + Integer.MAX_VALUE + "]";
            case "search.min_width" -> "an integer in [1, " + SearchSpec.MAX_WIDTH + "]";
            case "search.max_width" -> "an integer in [min_width, " + SearchSpec.MAX_WIDTH + "]";
            case "search.resolution" -> "a whole width >= 1 or a fraction in (0, 1)";
            case "train.steps" -> "an integer in [1, " + TrainSpec.MAX_STEPS + "] or an increasing list of them";
            case "train.tol", "model.c_res" -> "a number in (0, 1)";
            case "train.lr" -> "auto or a number > 0";
            case "train.c_eta", "model.c_sigma" -> "a finite number > 0";
            case "train.margin" -> "a finite number >= 0";
            case "train.batch" -> "an integer in [1, the grid's smallest n]";
            default -> "a finite number";
        };
    }

    /**
     * Checks that the job's data can be read and is large enough (files exist, CSV rows are sound),
     * before any Spark work: a {@link JobException} otherwise.
     */
    public static void checkData(Job job) {
        try {
            org.widthlaw.lib.data.Datasets.check(
                    job.data(), java.util.Collections.max(job.grid().ns()));
            // A user's file: its targets must suit a classification loss (the other kinds are checked by labels).
            for (Loss loss : job.grid().losses()) {
                if (loss.classification() && job.data().kind() == DataKind.CSV) {
                    int rows = org.widthlaw.lib.data.Datasets.size(job.data());
                    loss.checkTargets(org.widthlaw.lib.data.Datasets.build(job.data(), rows, 0));
                }
            }
        } catch (Checks.InvalidValue e) {
            throw new JobException(e.getMessage());
        }
    }

    /** Reads the normalised job stored in OUT/job.yaml back (its {@code hash} line is recomputed, not trusted). */
    public static Job parseStored(String text) {
        try {
            JsonNode n = YAML.readTree(text);
            if (n instanceof ObjectNode o) {
                o.remove("hash");
                o.remove("numerics");
                String content = null;
                if (o.get("data") instanceof ObjectNode data && data.hasNonNull("content")) {
                    content = data.remove("content").asText();
                }
                return parse(YAML.writeValueAsString(o), "job", Path.of(""), content);
            }
        } catch (JsonProcessingException e) {
            throw new JobException("OUT/job.yaml", "is not a widthlaw job: not valid YAML " + where(e));
        }
        throw new JobException("OUT/job.yaml", "is not a widthlaw job: not a mapping of keys to values");
    }

    /** The job with every default filled in, as written to OUT/job.yaml. */
    public static ObjectNode normalised(Job job) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", job.name());
        ObjectNode recipe = recipe(
                job.data(),
                job.model(),
                job.search(),
                job.train(),
                job.grid().margin(),
                job.content(),
                job.grid().kernel(),
                job.grid().kernel2d());
        root.setAll(recipe);
        if (job.data().path() != null)
            ((ObjectNode) root.get("data")).put("path", job.data().path());
        if (job.data().kind() == DataKind.CSV && job.data().header() == CsvHeader.AUTO)
            ((ObjectNode) root.get("data")).put("header", CsvHeader.AUTO.id());
        putOneOrList(
                (ObjectNode) root.get("data"),
                "labels",
                Named.ids(job.grid().labels().toArray(Named[]::new)));
        putOneOrList(
                (ObjectNode) root.get("model"),
                "arch",
                Named.ids(job.grid().archs().toArray(Named[]::new)));
        ObjectNode grid = root.putObject("grid");
        job.grid().depths().forEach(grid.putArray("depth")::add);
        job.grid().ns().forEach(grid.putArray("n")::add);
        job.grid().seeds().forEach(grid.putArray("seeds")::add);
        ObjectNode train = (ObjectNode) root.get("train");
        if (job.train().budgets().size() == 1) train.put("steps", job.train().steps());
        else job.train().budgets().forEach(train.putArray("steps")::add);
        train.put("early_stop", job.grid().earlyStop());
        // The losses as the labels: a squared-loss job's normalised form is as it was before losses were listed.
        if (!job.grid().losses().equals(List.of(Loss.SQUARED)))
            putOneOrList(train, "loss", Named.ids(job.grid().losses().toArray(Named[]::new)));
        if (job.grid().losses().stream().anyMatch(Loss::classification))
            train.put("margin", job.grid().margin());
        ((ObjectNode) root.get("search")).put("warm_start", job.search().warmStart());
        root.put("output", job.output());
        root.put("hash", job.hash());
        return root;
    }

    /**
     * Why a recorded job (OUT/job.yaml) and this one have different hashes, in words: other
     * numerics, other data content, or which parts of the recipe differ.
     */
    public static String differences(JsonNode recorded, ObjectNode current) {
        List<String> why = new ArrayList<>();
        JsonNode numerics = recorded.get("numerics");
        if (numerics == null || !numerics.equals(current.get("numerics"))) {
            why.add("it was made by trainer numerics version "
                    + (numerics == null ? "1 (none recorded)" : numerics.asText()) + ", this is version "
                    + current.get("numerics").asText());
        }
        JsonNode oldContent = recorded.path("data").get("content");
        JsonNode newContent = current.path("data").get("content");
        if (oldContent == null || !oldContent.equals(newContent)) {
            why.add("its data content was " + (oldContent == null ? "not recorded" : oldContent.asText())
                    + ", this job's data is " + newContent.asText());
        }
        JsonNode oldLoss = recorded.path("train").get("loss");
        if (oldLoss != null && oldLoss.isTextual() && !oldLoss.asText().equals(Loss.SQUARED.id())) {
            why.add("its recipe named the loss " + oldLoss.asText()
                    + ", as jobs did before train.loss became a grid dimension (the loss is now in the cell ids)");
        }
        for (String part : List.of("data", "model", "search", "train")) {
            ObjectNode a = recorded.get(part) instanceof ObjectNode o ? o.deepCopy() : JSON.createObjectNode();
            ObjectNode b = current.get(part) instanceof ObjectNode o ? o.deepCopy() : JSON.createObjectNode();
            for (ObjectNode x : List.of(a, b)) {
                x.remove(List.of("content", "path", "labels", "arch", "loss", "early_stop", "warm_start"));
                // Recipes from before losses were listed held margin 0 with a classification loss.
                if (x.path("margin").isNumber() && x.get("margin").asDouble() == 0) x.remove("margin");
                if (part.equals("train") && x.get("steps") instanceof com.fasterxml.jackson.databind.node.ArrayNode l)
                    x.set("steps", l.get(0));
            }
            if (!a.equals(b)) why.add(part + " differs (" + a + " then, " + b + " now)");
        }
        return why.isEmpty() ? "the recipe differs" : String.join("; ", why);
    }

    private static void putOneOrList(ObjectNode o, String key, List<String> values) {
        if (values.size() == 1) o.put(key, values.get(0));
        else values.forEach(o.putArray(key)::add);
    }

    public static String toYaml(ObjectNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the hash covers: everything that decides a probe's result except the grid. The labels, the
     * architecture and the loss are in every cell id (a squared-loss cell's id names no loss), so they
     * count as grid dimensions: a job may gain some. The margin of the classification losses enters when
     * it is not 0, so a squared-loss job's hash is the one it had before losses were listed. A CSV's d
     * is the number, given or inferred; {@code header} counts only when stated. The cnn filter size
     * counts when the grid has cnn ({@code kernel} > 0; [q, q] when {@code kernel2d}), so that other
     * jobs keep their hash.
     */
    static ObjectNode recipe(
            DataSpec d,
            ModelSpec m,
            SearchSpec s,
            TrainSpec t,
            double margin,
            String content,
            int kernel,
            boolean kernel2d) {
        ObjectNode r = JSON.createObjectNode();
        ObjectNode data = r.putObject("data");
        data.put("kind", d.kind().id()).put("d", d.d()).put("outputs", d.outputs());
        // The bytes of the data files, not where they lie: the same job resumes from another
        // checkout, and other bytes at the same path are another job.
        data.put("content", content);
        // A stated header decides which rows are data; auto (the default) is left out.
        if (d.header() != CsvHeader.AUTO) data.put("header", d.header() == CsvHeader.PRESENT);
        if (!d.classes().isEmpty()) d.classes().forEach(data.putArray("classes")::add);
        ObjectNode model = r.putObject("model");
        model.put("trained", m.trained().id())
                .put("activation", m.activation().id())
                .put("c_res", m.cRes());
        if (!Double.isNaN(m.cSigma())) model.put("c_sigma", m.cSigma());
        if (kernel > 0 && kernel2d) model.putArray("kernel").add(kernel).add(kernel);
        else if (kernel > 0) model.put("kernel", kernel);
        ObjectNode search = r.putObject("search");
        search.put("min_width", s.minWidth())
                .put("max_width", s.maxWidth())
                .put("resolution", s.resolution())
                .put("audit", s.audit());
        ObjectNode train = r.putObject("train");
        // The first budget only: a ladder may grow at the top on the same OUT (recorded failures are
        // trained on to the new budgets). Early stop is left out too: an early stop is a failure at every budget.
        train.put("steps", t.budgets().get(0)).put("tol", t.tol());
        if (t.autoLr()) train.put("lr", "auto");
        else train.put("lr", t.lr());
        train.put("c_eta", t.cEta()).put("precision", t.precision().id());
        // Only a margin other than 0 enters (so the hash of every squared-loss job stays as it was); the
        // optimizer only when it is sgd, with its minibatch (so every GD job keeps its hash).
        if (margin != 0) train.put("margin", margin);
        if (t.stochastic()) train.put("optimizer", t.optimizer().id()).put("batch", t.batch());
        r.put("numerics", Numerics.VERSION);
        return r;
    }

    static String hash(ObjectNode recipe) {
        try {
            byte[] bytes = JSON.writeValueAsBytes(recipe);
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A mapping of the job file with its path, for messages that name the field. */
    private static final class Obj {
        private final JsonNode node;
        private final String path;

        Obj(JsonNode node, String path) {
            this.node = node;
            this.path = path;
            if (node != null && !node.isObject()) {
                throw new JobException(
                        path.isEmpty() ? "job" : path, "must be a mapping of keys to values, got " + kind(node));
            }
        }

        String field(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        void allow(String... keys) {
            if (node == null) return;
            Set<String> ok = new HashSet<>(List.of(keys));
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!ok.contains(k)) {
                    throw new JobException(field(k), "unknown key; allowed here: " + String.join(", ", keys));
                }
            }
        }

        boolean has(String key) {
            return node != null && node.has(key) && !node.get(key).isNull();
        }

        JsonNode node(String key) {
            return node.get(key);
        }

        Obj obj(String key, boolean required) {
            if (!has(key)) {
                if (required) throw new JobException(field(key), "is required");
                return new Obj(null, field(key));
            }
            return new Obj(node.get(key), field(key));
        }

        String str(String key, String dflt) {
            if (!has(key)) {
                if (dflt == null) throw new JobException(field(key), "is required");
                return dflt;
            }
            JsonNode v = node.get(key);
            if (!v.isTextual()) throw new JobException(field(key), "must be a string, got " + kind(v));
            return v.asText();
        }

        /** A string or a non-empty list of distinct strings. */
        List<String> strList(String key) {
            JsonNode v = node.get(key);
            List<String> out = new ArrayList<>();
            if (v.isArray()) {
                if (v.isEmpty()) throw new JobException(field(key), "must not be empty");
                for (JsonNode e : v) {
                    if (!e.isTextual())
                        throw new JobException(field(key), "must be a string or a list of strings, got " + kind(e));
                    if (out.contains(e.asText()))
                        throw new JobException(field(key), "lists " + Checks.quote(e.asText()) + " twice");
                    out.add(e.asText());
                }
            } else if (v.isTextual()) {
                out.add(v.asText());
            } else {
                throw new JobException(field(key), "must be a string or a list of strings, got " + kind(v));
            }
            return out;
        }

        boolean bool(String key, boolean dflt) {
            if (!has(key)) return dflt;
            JsonNode v = node.get(key);
            if (!v.isBoolean()) throw new JobException(field(key), "must be true or false, got " + kind(v));
            return v.asBoolean();
        }

        double number(String key, double dflt) {
            if (!has(key)) return dflt;
            return toNumber(node.get(key), field(key));
        }

        Integer integer(String key, Integer dflt) {
            if (!has(key)) {
                if (dflt == null) throw new JobException(field(key), "is required");
                return dflt;
            }
            return toInt(node.get(key), field(key));
        }

        List<Integer> intList(String key, List<Integer> dflt, int min) {
            return list(key, dflt, v -> toInt(v, field(key)), min);
        }

        List<Long> seeds() {
            String f = field("seeds");
            if (!has("seeds")) throw new JobException(f, "is required: a count (seeds 0..k-1) or a list of seeds");
            JsonNode v = node.get("seeds");
            if (!v.isArray()) {
                int count = toInt(v, f);
                if (count < 1 || count > 10_000)
                    throw new JobException(f, "a count must be an integer in [1, 10000], got " + count);
                List<Long> out = new ArrayList<>();
                for (long s = 0; s < count; s++) out.add(s);
                return out;
            }
            return list("seeds", null, x -> (long) toInt(x, f), 0);
        }

        private <T extends Number> List<T> list(
                String key, List<T> dflt, java.util.function.Function<JsonNode, T> conv, int min) {
            String f = field(key);
            if (!has(key)) {
                if (dflt == null) throw new JobException(f, "is required");
                return dflt;
            }
            JsonNode v = node.get(key);
            List<T> out = new ArrayList<>();
            if (v.isArray()) {
                if (v.isEmpty()) throw new JobException(f, "must not be empty");
                for (JsonNode e : v) out.add(conv.apply(e));
            } else {
                out.add(conv.apply(v));
            }
            Set<T> seen = new HashSet<>();
            for (T t : out) {
                if (t.longValue() < min) throw new JobException(f, "must be " + allowed(f) + ", got " + t);
                if (!seen.add(t)) throw new JobException(f, "lists " + t + " twice");
            }
            return out;
        }

        /** A finite number, written as one or as a string ("1e-4"); NaN and infinities name what is allowed. */
        private static double toNumber(JsonNode v, String f) {
            double d = Double.NaN;
            if (v.isNumber()) d = v.asDouble();
            else if (v.isTextual()) {
                try {
                    d = Double.parseDouble(v.asText().trim());
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            if (!Double.isFinite(d)) throw new JobException(f, "must be " + allowed(f) + ", got " + kind(v));
            return d;
        }

        /** An int, written as one, as a whole float or as a string; otherwise the field and its range. */
        private static int toInt(JsonNode v, String f) {
            Supplier<JobException> bad = () -> new JobException(f, "must be " + allowed(f) + ", got " + kind(v));
            double d;
            if (v.isIntegralNumber()) {
                if (!v.canConvertToInt()) throw bad.get();
                return v.asInt();
            }
            if (v.isNumber()) d = v.asDouble();
            else if (v.isTextual()) {
                try {
                    d = Double.parseDouble(v.asText().trim());
                } catch (NumberFormatException e) {
                    throw bad.get();
                }
            } else throw bad.get();
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw bad.get();
            return (int) d;
        }

        static String kind(JsonNode v) {
            if (v.isTextual()) return Checks.quote(v.asText());
            if (v.isNumber()) return v.asText();
            if (v.isArray()) return "a list";
            if (v.isObject()) return "a mapping";
            return v.toString();
        }
    }
}
