package org.widthlaw.lib.data;

import java.io.Serializable;
import java.util.List;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.Named;

/**
 * Which data a cell trains on (docs/METHOD.md section 2).
 * <ul>
 *   <li>{@code sphere}: x uniform on S^{d-1}; labels {@code random}, {@code teacher} or
 *       {@code teacher-class} (the teacher's classes: +-1 targets, one-hot for k); {@code outputs} = k.
 *   <li>{@code fashion-mnist}: the IDX files under {@code path} (Debian's dataset-fashion-mnist);
 *       labels {@code natural} or {@code shuffled}; {@code classes} keeps a subset (empty: all ten);
 *       {@code d} below 784 projects the pixels by a seeded Gaussian matrix, 784 keeps them.
 *   <li>{@code csv}: the user's file at {@code path}: d feature columns, then {@code outputs} label columns;
 *       {@code header} says whether its first row is a header ({@link CsvHeader}; {@code auto} for other kinds).
 * </ul>
 */
public record DataSpec(
        DataKind kind, int d, Labels labels, int outputs, String path, List<Integer> classes, CsvHeader header)
        implements Serializable {
    public static final List<Labels> SPHERE_LABELS = List.of(Labels.RANDOM, Labels.TEACHER, Labels.TEACHER_CLASS);
    public static final List<Labels> MNIST_LABELS = List.of(Labels.NATURAL, Labels.SHUFFLED);
    public static final String MNIST_DIR = "/usr/share/datasets/fashion-mnist";
    public static final int MNIST_PIXELS = 784;
    public static final int MAX_D = 100_000;

    public DataSpec {
        Checks.notNull(kind, "data.kind");
        classes = classes == null ? List.of() : List.copyOf(classes);
        header = header == null ? CsvHeader.AUTO : header;
        if (kind != DataKind.CSV && header != CsvHeader.AUTO)
            throw Checks.invalid("data.header", "is only for kind csv");
        switch (kind) {
            case SPHERE -> {
                Checks.inRange(d, 1, MAX_D, "data.d");
                oneOf(labels, SPHERE_LABELS, kind);
                Checks.inRange(outputs, 1, 1000, "data.outputs");
                if (path != null) throw Checks.invalid("data.path", "is only for kinds fashion-mnist and csv");
                if (!classes.isEmpty()) throw Checks.invalid("data.classes", "is only for kind fashion-mnist");
            }
            case FASHION_MNIST -> {
                Checks.inRange(d, 1, MNIST_PIXELS, "data.d");
                oneOf(labels, MNIST_LABELS, kind);
                for (int c : classes) Checks.inRange(c, 0, 9, "data.classes");
                if (classes.stream().distinct().count() != classes.size())
                    throw Checks.invalid("data.classes", "lists a class twice: " + classes);
                if (classes.size() == 1)
                    throw Checks.invalid("data.classes", "needs at least two classes, got " + classes);
                int k = classes.size() == 2 ? 1 : (classes.isEmpty() ? 10 : classes.size());
                if (outputs != k)
                    throw Checks.invalid(
                            "data.outputs", "is set by the classes for fashion-mnist (" + k + "), got " + outputs);
                Checks.notNull(path, "data.path");
            }
            case CSV -> {
                Checks.inRange(d, 1, MAX_D, "data.d");
                Checks.inRange(outputs, 1, 1000, "data.outputs");
                Checks.notNull(path, "data.path");
                if (labels != null && labels != Labels.GIVEN) {
                    throw Checks.invalid("data.labels", "for kind csv must be 'given', got '" + labels.id() + "'");
                }
                if (!classes.isEmpty()) throw Checks.invalid("data.classes", "is only for kind fashion-mnist");
            }
        }
    }

    /** Data whose first CSV row, if any, is judged by {@link CsvHeader#AUTO}. */
    public DataSpec(DataKind kind, int d, Labels labels, int outputs, String path, List<Integer> classes) {
        this(kind, d, labels, outputs, path, classes, CsvHeader.AUTO);
    }

    /** This data with other labels. */
    public DataSpec withLabels(Labels other) {
        return new DataSpec(kind, d, other, outputs, path, classes, header);
    }

    public static DataSpec sphere(int d, Labels labels, int outputs) {
        return new DataSpec(DataKind.SPHERE, d, labels, outputs, null, List.of());
    }

    /** Targets per sample for fashion-mnist with these classes: one column per class, one for two. */
    public static int mnistOutputs(List<Integer> classes) {
        return classes.size() == 2 ? 1 : (classes.isEmpty() ? 10 : classes.size());
    }

    private static void oneOf(Labels labels, List<Labels> allowed, DataKind kind) {
        Checks.notNull(labels, "data.labels");
        if (!allowed.contains(labels)) {
            throw Checks.invalid(
                    "data.labels",
                    "for kind " + kind.id() + " must be one of " + Named.ids(allowed.toArray(Labels[]::new)) + ", got '"
                            + labels.id() + "'");
        }
    }

    /** Short name used in cell ids and reports, e.g. {@code sphere-random}. */
    public String tag() {
        String c = classes.isEmpty()
                ? ""
                : "-c" + classes.stream().map(String::valueOf).reduce("", String::concat);
        return kind.id() + "-" + labels.id() + c;
    }
}
