package org.widthlaw.driver;

import static org.widthlaw.driver.Codec.col;
import static org.widthlaw.driver.Codec.nullable;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.widthlaw.lib.Named;
import org.widthlaw.lib.data.DataKind;
import org.widthlaw.lib.data.Labels;
import org.widthlaw.lib.model.Activation;
import org.widthlaw.lib.model.Arch;
import org.widthlaw.lib.model.Loss;
import org.widthlaw.lib.model.Trained;
import org.widthlaw.lib.reduce.AsymptoticWidth;
import org.widthlaw.lib.reduce.CellKey;
import org.widthlaw.lib.reduce.CellResult;
import org.widthlaw.lib.reduce.CellStats;
import org.widthlaw.lib.reduce.GroupKey;
import org.widthlaw.lib.search.CellStatus;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeStatus;
import org.widthlaw.lib.train.Provenance;
import org.widthlaw.lib.train.Trend;

/**
 * The two tables of OUT (docs/ARCHITECTURE.md, "Results store"): probes (one row per trained network) and
 * cells (one row per cell). Column names are a contract: add columns at the end, never rename.
 */
final class Tables {
    private Tables() {}

    private static final DataType STR = DataTypes.StringType;
    private static final DataType INT = DataTypes.IntegerType;
    private static final DataType LONG = DataTypes.LongType;
    private static final DataType REAL = DataTypes.DoubleType;

    static final Codec<ProbeRecord> PROBES = new Codec<>(
            List.of(
                    col("probe_id", STR, p -> p.result().probeId()),
                    col("cell_id", STR, p -> p.cell().cellId()),
                    col("arch", STR, p -> p.cell().group().arch()),
                    col("depth", INT, p -> p.cell().group().depth()),
                    col("d", INT, p -> p.cell().group().d()),
                    col("data", STR, p -> p.cell().group().data()),
                    col("labels", STR, p -> p.cell().group().labels()),
                    col("n", INT, p -> p.cell().n()),
                    col("seed", LONG, p -> p.cell().seed()),
                    col("width", INT, p -> p.result().width()),
                    col("params", LONG, p -> p.result().params()),
                    col("status", STR, p -> p.result().status()),
                    col("steps", INT, p -> p.result().steps()),
                    col("rel_loss", REAL, p -> p.result().relLoss()),
                    col("lr", REAL, p -> p.result().lr()),
                    nullable("lambda_min_ntk0", REAL, p -> p.result().lambdaMinNtk0()),
                    nullable("lambda_max_ntk0", REAL, p -> p.result().lambdaMaxNtk0()),
                    nullable("rel_weight_move", REAL, p -> p.result().relWeightMove()),
                    nullable("act_flip_frac", REAL, p -> p.result().actFlipFrac()),
                    col("secs", REAL, p -> p.result().secs()),
                    col("blas", STR, p -> p.result().provenance().blas()),
                    col("precision", STR, p -> p.result().precision()),
                    col("host", STR, p -> p.result().provenance().host()),
                    col("attempt", INT, p -> p.result().provenance().attempt()),
                    col("code_version", STR, p -> p.result().provenance().codeVersion()),
                    col("trained", STR, p -> p.cell().group().trained()),
                    col("activation", STR, p -> p.cell().group().activation()),
                    col("job_hash", STR, ProbeRecord::jobHash),
                    col(
                            "curve_steps",
                            DataTypes.createArrayType(INT, false),
                            p -> p.result().curveSteps()),
                    col(
                            "curve_loss",
                            DataTypes.createArrayType(REAL, false),
                            p -> p.result().curveLoss()),
                    col("step_secs", REAL, p -> p.result().stepSecs()),
                    nullable("test_loss", REAL, p -> p.result().testLoss()),
                    nullable("test_acc", REAL, p -> p.result().testAcc()),
                    // Provenance beyond the first columns; rows written before these existed read them as absent.
                    nullable("code_commit", STR, p -> p.result().provenance().commit()),
                    nullable("java_version", STR, p -> p.result().provenance().java()),
                    nullable("os", STR, p -> p.result().provenance().os()),
                    nullable("cpu", STR, p -> p.result().provenance().cpu()),
                    nullable("blas_library", STR, p -> p.result().provenance().blasLibrary()),
                    nullable("blas_kernel", STR, p -> p.result().provenance().blasKernel()),
                    nullable("blas_threads", INT, p -> p.result().provenance().blasThreads()),
                    // The step budget and what the probe did within it (docs/METHOD.md section 4).
                    nullable("budget", INT, p -> p.result().budget()),
                    nullable("crossing_step", INT, p -> p.result().crossing()),
                    nullable(
                            "rung_steps",
                            DataTypes.createArrayType(INT, false),
                            p -> p.result().rungSteps()),
                    nullable(
                            "rung_loss",
                            DataTypes.createArrayType(REAL, false),
                            p -> p.result().rungLoss()),
                    nullable("loss_rate", REAL, p -> p.result().rate()),
                    nullable("trend", STR, p -> p.result().trend()),
                    nullable("extrapolated_crossing", REAL, p -> p.result().extrapolatedCrossing()),
                    // 0, or the step where this run continued the probe's run under a smaller budget.
                    nullable("resumed_from", INT, p -> p.result().resumedFrom()),
                    // The tolerance and the job's name, so that rows of several OUTs can be put together.
                    nullable("tol", REAL, ProbeRecord::tol),
                    nullable("job", STR, ProbeRecord::job),
                    // The training loss (train.loss); rows written before it existed are squared.
                    nullable("loss", STR, p -> p.cell().group().loss())),
            Tables::probe);

    static final Codec<CellRecord> CELLS = new Codec<>(
            List.of(
                    col("cell_id", STR, c -> c.cell().cellId()),
                    col("arch", STR, c -> c.cell().group().arch()),
                    col("depth", INT, c -> c.cell().group().depth()),
                    col("d", INT, c -> c.cell().group().d()),
                    col("data", STR, c -> c.cell().group().data()),
                    col("labels", STR, c -> c.cell().group().labels()),
                    col("trained", STR, c -> c.cell().group().trained()),
                    col("activation", STR, c -> c.cell().group().activation()),
                    col("n", INT, c -> c.cell().n()),
                    col("seed", LONG, c -> c.cell().seed()),
                    nullable("min_width", INT, c -> c.cell().minWidth()),
                    nullable("max_failed_width", INT, c -> c.cell().maxFailedWidth()),
                    nullable("min_params", LONG, c -> c.cell().minParams()),
                    nullable("lambda0", REAL, c -> c.cell().stats().lambda0()),
                    col("status", STR, c -> c.cell().status()),
                    col("probes", INT, c -> c.cell().probes()),
                    col("secs", REAL, c -> c.cell().secs()),
                    nullable("lambda_deep", REAL, c -> c.cell().stats().lambdaDeep()),
                    nullable("delta_sep", REAL, c -> c.cell().stats().deltaSep()),
                    nullable("budget", INT, c -> c.cell().budget()),
                    // The asymptotic width: an estimate, kept apart from the measured m* (docs/METHOD.md section 5).
                    nullable("m_inf_estimate", REAL, c -> c.cell().asymptotic().map(AsymptoticWidth.Estimate::mInf)),
                    nullable("m_inf_lo", REAL, c -> c.cell().asymptotic().map(AsymptoticWidth.Estimate::lo)),
                    nullable("m_inf_hi", REAL, c -> c.cell().asymptotic().map(AsymptoticWidth.Estimate::hi)),
                    nullable("m_inf_gamma", REAL, c -> c.cell().asymptotic().map(AsymptoticWidth.Estimate::gamma)),
                    nullable("m_inf_widths", INT, c -> c.cell().asymptotic().map(AsymptoticWidth.Estimate::widths)),
                    // What the row answers, so that rows of several OUTs can be put together.
                    nullable("tol", REAL, CellRecord::tol),
                    nullable("job", STR, CellRecord::job),
                    // The training loss (train.loss); rows written before it existed are squared.
                    nullable("loss", STR, c -> c.cell().group().loss())),
            Tables::cell);

    private static GroupKey group(Codec.Fields f) {
        return new GroupKey(
                f.named(Arch.values(), "arch"),
                f.integer("depth"),
                f.integer("d"),
                f.named(DataKind.values(), "data"),
                f.named(Labels.values(), "labels"),
                f.named(Trained.values(), "trained"),
                f.named(Activation.values(), "activation"),
                Named.parse(Loss.values(), f.string("loss", Loss.SQUARED.id()), "loss"));
    }

    private static CellKey cellKey(Codec.Fields f) {
        return new CellKey(f.string("cell_id"), group(f), f.integer("n"), f.int64("seed"));
    }

    private static ProbeRecord probe(Codec.Fields f) {
        String unknown = "unknown";
        int steps = f.integer("steps");
        ProbeStatus status = f.named(ProbeStatus.values(), "status");
        // Rows from before the budget columns: a success crossed at its last step.
        OptionalInt crossing = f.optInteger("crossing_step");
        if (crossing.isEmpty() && status == ProbeStatus.SUCCESS) crossing = OptionalInt.of(steps);
        Provenance prov = new Provenance(
                f.string("code_version"),
                f.string("code_commit", unknown),
                f.string("java_version", unknown),
                f.string("os", unknown),
                f.string("cpu", unknown),
                f.string("blas"),
                f.string("blas_library", unknown),
                f.string("blas_kernel", unknown),
                f.integer("blas_threads", 0),
                f.string("host"),
                f.integer("attempt"));
        ProbeResult r = new ProbeResult(
                f.string("probe_id"),
                f.string("cell_id"),
                f.integer("width"),
                f.int64("params"),
                status,
                steps,
                f.real("rel_loss"),
                f.real("lr"),
                f.optReal("lambda_min_ntk0"),
                f.optReal("lambda_max_ntk0"),
                f.optReal("rel_weight_move"),
                f.optReal("act_flip_frac"),
                f.real("secs"),
                f.real("step_secs"),
                f.named(Precision.values(), "precision"),
                f.integers("curve_steps"),
                f.reals("curve_loss"),
                f.optReal("test_loss"),
                f.optReal("test_acc"),
                prov,
                f.integer("budget", steps),
                crossing,
                f.integersOrEmpty("rung_steps"),
                f.realsOrEmpty("rung_loss"),
                f.optReal("loss_rate"),
                Optional.ofNullable(f.string("trend", null)).map(t -> Trend.of(t, "trend")),
                f.optReal("extrapolated_crossing"),
                f.integer("resumed_from", 0));
        return new ProbeRecord(
                cellKey(f), r, f.string("job_hash"), Optional.ofNullable(f.string("job", null)), f.optReal("tol"));
    }

    private static CellRecord cell(Codec.Fields f) {
        return new CellRecord(
                new CellResult(
                        cellKey(f),
                        f.integer("budget", 0),
                        f.optInteger("min_width"),
                        f.optInteger("max_failed_width"),
                        f.optInt64("min_params"),
                        f.named(CellStatus.values(), "status"),
                        f.integer("probes"),
                        f.real("secs"),
                        new CellStats(f.optReal("lambda0"), f.optReal("lambda_deep"), f.optReal("delta_sep")),
                        f.optReal("m_inf_estimate").isPresent()
                                ? Optional.of(new AsymptoticWidth.Estimate(
                                        f.real("m_inf_estimate"),
                                        f.real("m_inf_lo"),
                                        f.real("m_inf_hi"),
                                        f.real("m_inf_gamma"),
                                        f.integer("m_inf_widths")))
                                : Optional.empty()),
                Optional.ofNullable(f.string("job", null)),
                f.optReal("tol"));
    }
}
