package org.widthlaw.driver;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.Named;
import org.widthlaw.lib.Plural;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.model.ModelSpec;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.reduce.GroupFit;
import org.widthlaw.lib.reduce.Reducer;
import org.widthlaw.lib.train.Optimizer;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeSpec;
import org.widthlaw.lib.train.Provenance;
import org.widthlaw.lib.train.TrainSpec;
import org.widthlaw.lib.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The widthlaw command line: run, plan, train, fit, report (docs/ARCHITECTURE.md, "CLI"). Exit
 * codes: 0 done, 1 failure, 2 bad input, 3 OUT in use. Bad input of any origin (a flag, the job
 * file, the data, OUT, a setting Spark refuses) is one line {@code widthlaw: FIELD: message}, a
 * usage error then one hint line; inputs are checked before Spark starts and before anything is
 * written.
 */
@Command(
        name = "widthlaw",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Measures the smallest width at which gradient descent reaches zero training loss,"
                + " and how it scales with n.",
        subcommands = {
            Main.Run.class,
            Main.Plan.class,
            Main.Train.class,
            Main.Fit.class,
            Main.ReportCommand.class,
            Main.StatusCommand.class,
            Main.CompareCommand.class
        })
public final class Main implements Runnable {
    public static final int BAD_INPUT = 2;
    /** OUT is held by another live run's lease: retry later. */
    public static final int OUT_IN_USE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command line as given, for OUT/run.json. */
    private List<String> argv = List.of();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "COMMAND: is required: one of run, plan, train, fit, report, status or compare");
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        Main main = new Main();
        main.argv = List.of(args);
        CommandLine cl = new CommandLine(main);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof ResultsStore.OutInUse) {
                line.getErr().println("widthlaw: " + oneLine(ex.getMessage()));
                line.getErr().flush();
                return OUT_IN_USE;
            }
            if (ex instanceof JobException || ex instanceof Checks.InvalidValue) {
                line.getErr().println("widthlaw: " + oneLine(ex.getMessage()));
                line.getErr().flush();
                return BAD_INPUT;
            }
            line.getErr().println("widthlaw: failed: " + ex);
            ex.printStackTrace(line.getErr());
            line.getErr().flush();
            return 1;
        });
        return cl.execute(args);
    }

    /** A message on one line, at most 2000 characters: what the one-line contract of exit 2 prints. */
    static String oneLine(String message) {
        String one = String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", " ");
        return one.length() <= 2000 ? one : one.substring(0, 2000) + " ...";
    }

    /**
     * A command-line usage error (unknown option or command, missing or malformed value): one line
     * naming the flag or parameter, then one line pointing to {@code --help}; exit 2.
     */
    static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String cmd = cl.getCommandSpec().qualifiedName();
        java.io.PrintWriter err = cl.getErr();
        err.println("widthlaw: " + oneLine(usageMessage(ex)));
        String hint = "See '" + cmd + " --help'.";
        if (ex instanceof CommandLine.UnmatchedArgumentException u
                && !u.getSuggestions().isEmpty()) {
            hint = "Did you mean '" + u.getSuggestions().get(0) + "'? " + hint;
        }
        err.println(hint);
        err.flush();
        return BAD_INPUT;
    }

    /** picocli's error as {@code FLAG: what is wrong}. */
    private static String usageMessage(CommandLine.ParameterException ex) {
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        String msg = String.valueOf(ex.getMessage());
        if (ex instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("-"))
                return arg.replaceFirst("=.*", "") + ": unknown option of '" + spec.qualifiedName() + "'";
            if (!spec.subcommands().isEmpty())
                return Checks.quote(arg) + ": unknown command; one of "
                        + String.join(", ", spec.subcommands().keySet());
            return Checks.quote(arg) + ": unexpected argument; '" + spec.qualifiedName() + "' takes "
                    + (spec.positionalParameters().isEmpty()
                            ? "no arguments"
                            : "one " + spec.positionalParameters().get(0).paramLabel());
        }
        if (ex instanceof CommandLine.MissingParameterException m
                && !m.getMissing().isEmpty()) {
            List<String> names = m.getMissing().stream().map(Main::label).toList();
            if (msg.startsWith("Missing required parameter for option")) return names.get(0) + ": needs a value";
            return String.join(", ", names) + (names.size() == 1 ? ": is required" : ": are required");
        }
        if (ex.getArgSpec() != null) {
            CommandLine.Model.ArgSpec a = ex.getArgSpec();
            String what = msg.replaceFirst("^Invalid value for [^:]*: ", "")
                    .replaceFirst(
                            "^Value for option .* should be in KEY=VALUE format but was (.*)$",
                            "must be KEY=VALUE, got '$1'");
            Class<?> t = a.type();
            if (ex.getValue() != null && (t == int.class || t == Integer.class || t == long.class || t == Long.class))
                what = "must be an integer, got " + Checks.quote(ex.getValue());
            else if (ex.getValue() != null && (t == double.class || t == Double.class))
                what = "must be a number, got " + Checks.quote(ex.getValue());
            return label(a) + ": " + what;
        }
        return msg.contains(": ") && msg.indexOf(": ") < 30 ? msg : spec.qualifiedName() + ": " + msg;
    }

    private static String label(CommandLine.Model.ArgSpec a) {
        return a instanceof CommandLine.Model.OptionSpec o ? o.longestName() : a.paramLabel();
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"widthlaw " + org.widthlaw.lib.Version.get()};
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Runs or resumes the sweep of JOB.yaml, writes OUT and prints the fitted law per group.")
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "JOB.yaml")
        Path job;

        @Option(names = "--master", description = "Spark master (default: from spark-submit, else local[*])")
        String master;

        @Option(names = "--out", description = "output directory or URI (default: the job's output)")
        String out;

        @Option(names = "--conf", paramLabel = "k=v", description = "extra Spark configuration")
        Map<String, String> conf = new LinkedHashMap<>();

        @Option(
                names = "--ui",
                description = "serve Spark's web UI (jobs named after their cells) on 127.0.0.1 while the run lasts;"
                        + " off by default")
        boolean ui;

        @CommandLine.ParentCommand
        Main parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cmd;

        @Override
        public Integer call() throws Exception {
            java.io.PrintWriter stdout = cmd.commandLine().getOut();
            java.io.PrintWriter stderr = cmd.commandLine().getErr();
            Job j = JobParser.parse(job);
            JobParser.checkData(j);
            String output = out != null ? out : j.output();
            j = new Job(j.name(), j.data(), j.model(), j.grid(), j.search(), j.train(), output, j.hash(), j.content());
            // Everything that can be checked before Spark starts is: the master and settings, and a local OUT.
            Sparks.check(master, conf);
            if (ui) conf.putAll(Sparks.ui(System.getenv("SPARK_LOCAL_IP")));
            Optional<ResultsStore> local = ResultsStore.local(output, conf, "output");
            if (local.isPresent()) {
                try (ResultsStore s = local.get()) {
                    s.check(j);
                }
            }
            try (SparkSession spark = Sparks.session("widthlaw " + j.name(), master, conf);
                    ResultsStore store = new ResultsStore(spark, output)) {
                store.claim(j);
                com.fasterxml.jackson.databind.node.ObjectNode run = RunLog.start(
                        j, store.uri(), parent.argv, spark.sparkContext().master(), Sparks.slots(spark));
                RunLog.write(store, run);
                long t0 = System.nanoTime();
                stderr.printf(
                        Locale.ROOT,
                        "[widthlaw] job %s (hash %s): %s on %s, BLAS %s, output %s%n",
                        j.name(),
                        j.hash(),
                        Plural.of(j.cells().size(), "cell"),
                        spark.sparkContext().master(),
                        Blas.get().name(),
                        store.uri());
                scala.Option<String> url = spark.sparkContext().uiWebUrl();
                if (ui && url.isDefined())
                    stderr.println("[widthlaw] Spark UI: " + url.get() + " (jobs named after their cells)");
                Sweep.Outcome o;
                try {
                    o = Sweep.run(
                            spark,
                            j,
                            store,
                            new Progress(stderr, Sparks.slots(spark))
                                    .steps(j.train().stepUnit()));
                } catch (RuntimeException e) {
                    RunLog.end(run, "failed", 0, 0, (System.nanoTime() - t0) / 1e9);
                    RunLog.write(store, run);
                    throw e;
                }
                List<GroupFit> fits = Reducer.reduce(
                        o.cells(),
                        j.hash(),
                        j.data().outputs(),
                        j.grid().kernel(),
                        j.grid().kernel2d(),
                        new SparkAft(spark),
                        SparkAft.ENGINE);
                writeLaw(store, j, fits);
                RunLog.end(run, "done", o.trained(), o.reused(), (System.nanoTime() - t0) / 1e9);
                RunLog.write(store, run);
                stdout.print(Summary.of(fits));
                stdout.println("results: " + store.uri());
                stdout.flush();
            }
            return 0;
        }
    }

    /** Writes scaling.json, scaling.csv and report.html (with plots/) from the fits. */
    static void writeLaw(ResultsStore store, Job job, List<GroupFit> fits) {
        writeLaw(store, job, fits, s -> {});
    }

    /** The same, telling {@code log} each step. */
    static void writeLaw(ResultsStore store, Job job, List<GroupFit> fits, java.util.function.Consumer<String> log) {
        store.writeText("scaling.json", ScalingJson.json(job, fits));
        store.writeText("scaling.csv", ScalingJson.csv(fits));
        log.accept("reading the probes for the loss curves");
        List<ProbeResult> probes =
                store.readProbes().values().stream().map(ProbeRecord::result).toList();
        store.writeText("report.html", Report.build(job, fits, probes, store, Report.Meta.of(store), log));
    }

    @Command(
            name = "plan",
            mixinStandardHelpOptions = true,
            description = "Prints the cells of JOB.yaml, the probe estimate and the expected cost; computes nothing.")
    static final class Plan implements Callable<Integer> {
        @Parameters(paramLabel = "JOB.yaml")
        Path job;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cmd;

        @Override
        public Integer call() throws Exception {
            Job j = JobParser.parse(job);
            JobParser.checkData(j); // the data is checked as run checks it
            cmd.commandLine().getOut().print(Planner.describe(j));
            cmd.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "Rebuilds OUT/report.html and OUT/plots/ (and scaling.json) from the results stored in OUT.")
    static final class ReportCommand extends Fit {}

    @Command(
            name = "fit",
            mixinStandardHelpOptions = true,
            description =
                    "Refits the scaling law from the cells stored in OUT (scaling.json, scaling.csv, report.html).")
    static class Fit implements Callable<Integer> {
        @Parameters(paramLabel = "OUT")
        String out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cmd;

        @Override
        public Integer call() throws Exception {
            java.io.PrintWriter stderr = cmd.commandLine().getErr();
            long t0 = System.nanoTime();
            // A local OUT is read and written without Spark; Spark starts only for an OUT on
            // another file system, or for a group with unreached cells (the censored law's estimate).
            LazySpark spark = new LazySpark("widthlaw " + cmd.name());
            try (ResultsStore store = spark.open(out)) {
                Job j = store.stored();
                // Cell rows written before the budget column carry the job's one budget.
                List<CellResult> cells = store.readCells().stream()
                        .map(c -> c.budget() > 0 ? c : c.atBudget(j.train().steps()))
                        .toList();
                long groups = cells.stream()
                        .map(c -> c.group() + "/" + c.budget())
                        .distinct()
                        .count();
                stderr.printf(
                        Locale.ROOT,
                        "[widthlaw] %s %s: %s read from %s; fitting %s (bootstrap)%n",
                        cmd.name(),
                        j.name(),
                        Plural.of(cells.size(), "cell row"),
                        store.uri(),
                        Plural.of(groups, "group law"));
                stderr.flush();
                List<GroupFit> fits = Reducer.reduce(
                        cells,
                        j.hash(),
                        j.data().outputs(),
                        j.grid().kernel(),
                        j.grid().kernel2d(),
                        new SparkAft(spark::get),
                        SparkAft.ENGINE);
                stderr.println("[widthlaw] writing scaling.json, scaling.csv, report.html and plots/");
                stderr.flush();
                writeLaw(store, j, fits);
                cmd.commandLine().getOut().print(Summary.of(fits));
                cmd.commandLine().getOut().flush();
                stderr.printf(
                        Locale.ROOT,
                        "[widthlaw] %s done in %.1f s%s%n",
                        cmd.name(),
                        (System.nanoTime() - t0) / 1e9,
                        spark.started() ? " (Spark started for the censored fit or the file system)" : "");
                stderr.flush();
            } finally {
                spark.close();
            }
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Shows where the sweep in OUT stands: per cell its status, m* per budget, probes and time;"
                    + " the totals and, while a run holds OUT, an ETA. Reads OUT only (during a run too).")
    static final class StatusCommand implements Callable<Integer> {
        @Parameters(paramLabel = "OUT")
        String out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cmd;

        @Override
        public Integer call() throws Exception {
            LazySpark spark = new LazySpark("widthlaw status");
            try (ResultsStore store = spark.open(out)) {
                Job j = store.readable();
                store.probesReadable();
                // The lease before the run log: a run writes its last record before it lets go of OUT,
                // so a run seen without its lease has its record final.
                var lease = Status.lease(store, System.currentTimeMillis());
                Optional<com.fasterxml.jackson.databind.JsonNode> last = RunLog.latest(store);
                int slots = last.map(r -> r.path("slots").asInt(1)).orElse(1);
                Status.View v = Status.of(j, store.readProbes(), slots);
                cmd.commandLine().getOut().print(Status.text(v, store.uri(), lease, last, java.time.Instant.now()));
                cmd.commandLine().getOut().flush();
            } finally {
                spark.close();
            }
            return 0;
        }
    }

    @Command(
            name = "compare",
            mixinStandardHelpOptions = true,
            description = "Prints the laws of several OUTs side by side: per group and budget, alpha with its 95%%"
                    + " interval, the median P*/n at the largest n and the verdict (from each OUT's scaling.json).")
    static final class CompareCommand implements Callable<Integer> {
        @Parameters(paramLabel = "OUT", arity = "1..*")
        List<String> outs;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cmd;

        @Override
        public Integer call() throws Exception {
            List<Compare.Out> read = new java.util.ArrayList<>();
            Map<String, Integer> names = new java.util.HashMap<>();
            LazySpark spark = new LazySpark("widthlaw compare");
            try {
                for (String o : outs) {
                    try (ResultsStore store = spark.open(o)) {
                        Job j = store.readable();
                        if (!store.exists("scaling.json"))
                            throw new JobException("OUT", store.uri() + " has no scaling.json yet: run the job first");
                        com.fasterxml.jackson.databind.JsonNode doc;
                        try {
                            doc = JobParser.JSON.readTree(store.readText("scaling.json"));
                        } catch (java.io.IOException e) {
                            throw new JobException(
                                    "OUT",
                                    store.uri() + "/scaling.json is not JSON: " + JobParser.oneLine(e.getMessage()));
                        }
                        int k = names.merge(j.name(), 1, Integer::sum);
                        read.add(new Compare.Out(k == 1 ? j.name() : j.name() + "#" + k, store.uri(), doc));
                    }
                }
            } finally {
                spark.close();
            }
            cmd.commandLine().getOut().print(Compare.text(read));
            cmd.commandLine().getOut().flush();
            return 0;
        }
    }

    /** A local SparkSession started on first use only. */
    static final class LazySpark implements AutoCloseable {
        private final String app;
        private SparkSession session;

        LazySpark(String app) {
            this.app = app;
        }

        synchronized SparkSession get() {
            if (session == null) session = Sparks.session(app, "local[1]", Map.of());
            return session;
        }

        /** The OUT named {@code out}: read directly when it is local, through this session otherwise. */
        ResultsStore open(String out) {
            return ResultsStore.local(out, Map.of(), "OUT").orElseGet(() -> new ResultsStore(get(), out, "OUT"));
        }

        synchronized boolean started() {
            return session != null;
        }

        @Override
        public synchronized void close() {
            if (session != null) session.stop();
            session = null;
        }
    }

    /** The provenance fields, as the probe rows name them. */
    static void provenance(com.fasterxml.jackson.databind.node.ObjectNode o, Provenance p) {
        o.put("code_version", p.codeVersion())
                .put("code_commit", p.commit())
                .put("java_version", p.java())
                .put("os", p.os())
                .put("cpu", p.cpu())
                .put("blas_library", p.blasLibrary())
                .put("blas_kernel", p.blasKernel())
                .put("blas_threads", p.blasThreads())
                .put("host", p.host())
                .put("attempt", p.attempt());
    }

    @Command(
            name = "train",
            mixinStandardHelpOptions = true,
            description = "Trains one network outside Spark and prints one JSON line.")
    static final class Train implements Callable<Integer> {
        @Option(
                names = "--arch",
                defaultValue = "two-layer",
                description = "architecture: two-layer | fc | resnet | cnn (default: ${DEFAULT-VALUE})")
        String arch;

        @Option(
                names = "--kernel",
                description = "cnn filter size: q (1..d), or qxq for 2-D filters over the side x side grid of"
                        + " d = side^2 inputs (default: " + ModelSpec.DEFAULT_KERNEL + "; cnn only)")
        String kernel;

        @Option(
                names = "--depth",
                defaultValue = "2",
                description =
                        "depth L, layers of weights: 2 for two-layer, 2..64 for fc and cnn, 3..64 for resnet (default: ${DEFAULT-VALUE})")
        int depth;

        @Option(
                names = "--d",
                defaultValue = "10",
                description = "input dimension of the sphere data (default: ${DEFAULT-VALUE})")
        int d;

        @Option(names = "--n", required = true, description = "number of training samples (required)")
        int n;

        @Option(names = "--width", required = true, description = "hidden width m (required)")
        int width;

        @Option(
                names = "--seed",
                defaultValue = "0",
                description = "cell seed: data, labels and initialisation derive from it (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(
                names = "--data",
                defaultValue = "sphere",
                description = "data kind; train runs on sphere data only (default: ${DEFAULT-VALUE})")
        String data;

        @Option(
                names = "--labels",
                defaultValue = "random",
                description = "random | teacher | teacher-class (default: ${DEFAULT-VALUE})")
        String labels;

        @Option(
                names = "--outputs",
                defaultValue = "1",
                description = "number of outputs k (default: ${DEFAULT-VALUE})")
        int outputs;

        @Option(
                names = "--trained",
                defaultValue = "hidden",
                description = "which layers train: hidden | output | all (default: ${DEFAULT-VALUE})")
        String trained;

        @Option(
                names = "--activation",
                defaultValue = "relu",
                description = "relu | softplus (default: ${DEFAULT-VALUE})")
        String activation;

        @Option(names = "--steps", defaultValue = "20000", description = "GD step budget T (default: ${DEFAULT-VALUE})")
        int steps;

        @Option(
                names = "--tol",
                defaultValue = "1e-4",
                description = "stop at relative loss r(t) <= tol (default: ${DEFAULT-VALUE})")
        double tol;

        @Option(
                names = "--lr",
                defaultValue = "auto",
                description = "step size: auto (1/lambda_max of H(0)) or a number > 0 (default: ${DEFAULT-VALUE})")
        String lr;

        @Option(
                names = "--precision",
                defaultValue = "float64",
                description = "float64 | float32 (default: ${DEFAULT-VALUE})")
        String precision;

        @Option(
                names = "--loss",
                defaultValue = "squared",
                description = "squared | cross-entropy | hinge (the last two need --labels teacher-class)"
                        + " (default: ${DEFAULT-VALUE})")
        String loss;

        @Option(
                names = "--margin",
                defaultValue = "0",
                description =
                        "classification losses: succeed when every margin >= this (0: > 0) (default: ${DEFAULT-VALUE})")
        double margin;

        @Option(
                names = "--optimizer",
                defaultValue = "gd",
                description =
                        "gd | sgd (a step is then an epoch of minibatches of --batch) (default: ${DEFAULT-VALUE})")
        String optimizer;

        @Option(names = "--batch", description = "sgd: the minibatch size, in [1, --n]")
        Integer batch;

        @Option(
                names = "--json",
                description = "print one JSON line (what train always prints; accepted for scripts that pass it)")
        boolean json;

        @Option(names = "--threads", description = "BLAS threads, 1..1024 (default: every core)")
        Integer threads;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec cmd;

        /** The probe the flags describe, every flag checked before anything is computed. */
        private ProbeSpec spec() {
            Checks.inRange(n, 1, JobParser.MAX_N, "--n");
            Checks.inRange(width, 1, org.widthlaw.lib.search.SearchSpec.MAX_WIDTH, "--width");
            double rate = Double.NaN;
            if (!lr.equals("auto")) {
                try {
                    rate = Double.parseDouble(lr.strip());
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (!(rate > 0) || Double.isInfinite(rate))
                    throw new JobException("--lr", "must be auto or a number > 0, got " + Checks.quote(lr));
            }
            if (!data.equals("sphere"))
                throw new JobException(
                        "--data", "must be sphere (train runs on sphere data), got " + Checks.quote(data));
            Arch a = Arch.of(arch, "--arch");
            Labels l = DataSpec.SPHERE_LABELS.stream()
                    .filter(x -> x.id().equals(labels))
                    .findFirst()
                    .orElseThrow(() -> new JobException(
                            "--labels",
                            "must be one of " + Named.ids(DataSpec.SPHERE_LABELS.toArray(Labels[]::new)) + ", got "
                                    + Checks.quote(labels)));
            DataSpec ds = DataSpec.sphere(d, l, outputs);
            if (a != Arch.CNN && kernel != null)
                throw new JobException("--kernel", "applies to --arch cnn only, got --arch " + a.id());
            int q = a != Arch.CNN ? 0 : ModelSpec.DEFAULT_KERNEL;
            boolean square = false;
            if (kernel != null) {
                java.util.regex.Matcher km = java.util.regex.Pattern.compile("(\\d{1,9})(?:x(\\d{1,9}))?")
                        .matcher(kernel.trim());
                if (!km.matches() || (km.group(2) != null && !km.group(1).equals(km.group(2))))
                    throw new JobException(
                            "--kernel", "must be q or qxq (a square filter), got " + Checks.quote(kernel));
                q = Integer.parseInt(km.group(1));
                square = km.group(2) != null;
            }
            int side = (int) Math.round(Math.sqrt(d));
            if (square && side * side != d)
                throw new JobException("--kernel", "qxq needs --d = side^2 inputs, got --d " + d);
            int most = square ? side : d;
            if (a == Arch.CNN && (q < 1 || q > most))
                throw new JobException(
                        "--kernel",
                        "must have q in [1, " + most + "] (at most " + (square ? "the grid's side" : "--d") + "), got "
                                + q);
            ModelSpec ms = new ModelSpec(
                    a,
                    depth,
                    Trained.of(trained, "--trained"),
                    Activation.of(activation, "--activation"),
                    Double.NaN,
                    0.5,
                    q,
                    square);
            Loss lo = Loss.of(loss, "--loss");
            if (lo.classification() && l != Labels.TEACHER_CLASS)
                throw new JobException(
                        "--loss",
                        lo.id() + " needs class targets: --labels teacher-class, got " + Checks.quote(labels));
            TrainSpec ts = new TrainSpec(
                    List.of(steps), tol, rate, 1.0, Precision.of(precision, "--precision"), false, lo, margin);
            if (Optimizer.of(optimizer, "--optimizer") == Optimizer.SGD) {
                if (batch == null)
                    throw new JobException("--batch", "is needed with --optimizer sgd: an integer in [1, --n]");
                ts = ts.sgd(Checks.inRange(batch, 1, n, "--batch"));
            } else if (batch != null) {
                throw new JobException("--batch", "is only for --optimizer sgd");
            }
            return new ProbeSpec("train", "train", ds, ms, n, seed, width, ts);
        }

        /** The job fields the records name, as train's flags: an error names what the user typed. */
        private static final Map<String, String> FLAGS = Map.ofEntries(
                Map.entry("data.d", "--d"),
                Map.entry("data.outputs", "--outputs"),
                Map.entry("data.labels", "--labels"),
                Map.entry("model.arch", "--arch"),
                Map.entry("model.trained", "--trained"),
                Map.entry("model.activation", "--activation"),
                Map.entry("model.kernel", "--kernel"),
                Map.entry("grid.depth", "--depth"),
                Map.entry("train.steps", "--steps"),
                Map.entry("train.tol", "--tol"),
                Map.entry("train.lr", "--lr"),
                Map.entry("train.precision", "--precision"),
                Map.entry("train.loss", "--loss"),
                Map.entry("train.margin", "--margin"),
                Map.entry("train.batch", "--batch"));

        @Override
        public Integer call() throws Exception {
            ProbeSpec p;
            int t;
            try {
                p = spec();
                t = threads == null
                        ? Runtime.getRuntime().availableProcessors()
                        : Checks.inRange(threads, 1, Sparks.MAX_BLAS_THREADS, "--threads");
            } catch (Checks.InvalidValue e) {
                String flag = FLAGS.getOrDefault(e.field(), e.field());
                String said = e.getMessage().substring(e.field().length() + ": ".length());
                throw new JobException(flag, said.replace("with precision ", "with --precision "));
            }
            Blas.get().setThreads(t);
            ModelSpec ms = p.model();
            ProbeResult r = Trainer.train(p);
            // Steps t = 0..steps each compute the loss and its gradient (SGD: and an epoch of minibatches).
            double flops = ms.flopsPerStep(n, d, outputs, width)
                    * (r.steps() + 1)
                    * p.train().passesPerStep();
            var o = JobParser.JSON.createObjectNode();
            o.put("status", r.status().id()).put("steps", r.steps());
            ScalingJson.num(o, "rel_loss", r.relLoss());
            o.put("secs", r.secs())
                    .put("step_secs", r.stepSecs())
                    .put("secs_per_step", r.stepSecs() / (r.steps() + 1))
                    .put("gflops", flops / r.stepSecs() / 1e9)
                    .put("blas", r.provenance().blas())
                    .put("threads", Blas.get().threads())
                    .put("precision", r.precision().id())
                    .put("params", r.params())
                    .put("width", width)
                    .put("n", n)
                    .put("d", d)
                    .put("arch", ms.arch().id())
                    .put("depth", depth);
            ScalingJson.num(o, "lr", r.lr());
            ScalingJson.opt(o, "lambda_max_ntk0", r.lambdaMaxNtk0());
            provenance(o, r.provenance());
            cmd.commandLine().getOut().println(JobParser.JSON.writeValueAsString(o));
            cmd.commandLine().getOut().flush();
            return 0;
        }
    }
}
