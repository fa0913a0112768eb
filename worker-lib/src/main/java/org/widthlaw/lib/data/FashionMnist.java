package org.widthlaw.lib.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.widthlaw.lib.Checks;
import org.widthlaw.lib.Gaussian;
import org.widthlaw.lib.Seeds;

/**
 * Fashion-MNIST as docs/METHOD.md section 2 has it: the first n images of a seeded permutation of
 * the training set (restricted to {@code classes}), pixels scaled to [0, 1], projected to d
 * dimensions by a seeded Gaussian matrix when d < 784, rows normalised. Labels {@code natural}
 * or {@code shuffled} (one seeded permutation of the labels over the whole permuted pool, so
 * subsets stay nested); targets one-hot over the kept classes, or a single +-1 column for two.
 * The test set is prepared the same way (with its true labels) for test loss and accuracy.
 */
final class FashionMnist {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    private record Raw(Idx.Array images, Idx.Array labels) {}

    private static final Map<String, Raw> CACHE = new ConcurrentHashMap<>();

    private FashionMnist() {}

    /** The name of a file of the data set: its folder (a local path or a URI) and the file name. */
    public static String file(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** The data set's four IDX files, training images and labels first. */
    public static java.util.List<String> files(String dir) {
        return java.util.List.of(
                file(dir, TRAIN_IMAGES), file(dir, TRAIN_LABELS), file(dir, TEST_IMAGES), file(dir, TEST_LABELS));
    }

    private static Raw raw(String dir, String images, String labels) {
        return CACHE.computeIfAbsent(dir + "/" + images, k -> {
            Idx.Array im = Idx.read(file(dir, images));
            Idx.Array lb = Idx.read(file(dir, labels));
            if (im.dims().length != 3 || lb.dims().length != 1 || im.count() != lb.count()) {
                throw Checks.invalid("data.path", dir + ": " + images + " and " + labels + " do not match");
            }
            if (im.itemSize() != DataSpec.MNIST_PIXELS) {
                throw Checks.invalid(
                        "data.path",
                        file(dir, images) + " holds images of " + im.dims()[1] + " x " + im.dims()[2]
                                + " pixels; fashion-mnist's are 28 x 28");
            }
            byte[] l = lb.data();
            for (int i = 0; i < l.length; i++) {
                if (l[i] < 0 || l[i] > 9) {
                    throw Checks.invalid(
                            "data.path",
                            file(dir, labels) + ": label " + (l[i] & 0xFF) + " of item " + i + " is outside 0..9");
                }
            }
            return new Raw(im, lb);
        });
    }

    /** Checks that the files are there and readable, and that the pool holds n samples. */
    static int poolSize(DataSpec spec) {
        Raw train = raw(spec.path(), TRAIN_IMAGES, TRAIN_LABELS);
        raw(spec.path(), TEST_IMAGES, TEST_LABELS);
        return indices(train, spec.classes()).size();
    }

    static Dataset build(DataSpec spec, int n, long cellSeed) {
        Raw train = raw(spec.path(), TRAIN_IMAGES, TRAIN_LABELS);
        Raw test = raw(spec.path(), TEST_IMAGES, TEST_LABELS);
        List<Integer> pool = indices(train, spec.classes());
        if (n > pool.size())
            throw Checks.invalid(
                    "grid.n",
                    "fashion-mnist with these classes has " + pool.size() + " training images, asked for " + n);
        int[] order = permutation(pool.size(), new SplittableRandom(Seeds.data(cellSeed)));
        int[] labels = new int[pool.size()];
        for (int i = 0; i < pool.size(); i++) labels[i] = train.labels().data()[pool.get(order[i])];
        if (spec.labels() == Labels.SHUFFLED) {
            int[] p = permutation(labels.length, new SplittableRandom(Seeds.labels(cellSeed)));
            int[] shuffled = new int[labels.length];
            for (int i = 0; i < labels.length; i++) shuffled[i] = labels[p[i]];
            labels = shuffled;
        }
        double[] proj = projection(spec.d(), cellSeed);
        int[] take = new int[n];
        for (int i = 0; i < n; i++) take[i] = pool.get(order[i]);
        List<Integer> testPool = indices(test, spec.classes());
        int[] testTake = testPool.stream().mapToInt(Integer::intValue).toArray();
        int[] testLabels = new int[testTake.length];
        for (int i = 0; i < testTake.length; i++) testLabels[i] = test.labels().data()[testTake[i]];
        Dataset testSet = assemble(spec, test.images(), testTake, testLabels, proj, null);
        return assemble(spec, train.images(), take, java.util.Arrays.copyOf(labels, n), proj, testSet);
    }

    private static Dataset assemble(
            DataSpec spec, Idx.Array images, int[] take, int[] labels, double[] proj, Dataset test) {
        int n = take.length, d = spec.d(), p = DataSpec.MNIST_PIXELS, k = spec.outputs();
        double[] x = new double[n * d];
        double[] pix = new double[p];
        for (int i = 0; i < n; i++) {
            int base = take[i] * p;
            for (int j = 0; j < p; j++) pix[j] = (images.data()[base + j] & 0xFF) / 255.0;
            if (proj == null) {
                System.arraycopy(pix, 0, x, i * d, d);
            } else {
                for (int c = 0; c < d; c++) {
                    double s = 0;
                    for (int j = 0; j < p; j++) s += pix[j] * proj[j * d + c];
                    x[i * d + c] = s;
                }
            }
            double norm = 0;
            for (int c = 0; c < d; c++) norm += x[i * d + c] * x[i * d + c];
            if (norm == 0) throw Checks.invalid("data", "image " + take[i] + " projects to the zero vector");
            double inv = 1 / Math.sqrt(norm);
            for (int c = 0; c < d; c++) x[i * d + c] *= inv;
        }
        List<Integer> kept = spec.classes().isEmpty() ? List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9) : spec.classes();
        double[] y = new double[n * k];
        int[] classOf = new int[n];
        for (int i = 0; i < n; i++) {
            int c = kept.indexOf(labels[i]);
            classOf[i] = c;
            if (k == 1) y[i] = c == 0 ? 1.0 : -1.0;
            else y[i * k + c] = 1.0;
        }
        return new Dataset(n, d, k, x, y, test, classOf);
    }

    private static List<Integer> indices(Raw raw, List<Integer> classes) {
        List<Integer> out = new ArrayList<>();
        byte[] l = raw.labels().data();
        for (int i = 0; i < l.length; i++) if (classes.isEmpty() || classes.contains((int) l[i])) out.add(i);
        return out;
    }

    /** Fisher-Yates over 0..size-1. */
    static int[] permutation(int size, SplittableRandom rng) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) p[i] = i;
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The 784 x d Gaussian projection (entries N(0, 1/d)) of a cell seed, or null for d = 784. */
    private static double[] projection(int d, long cellSeed) {
        if (d == DataSpec.MNIST_PIXELS) return null;
        Gaussian g = new Gaussian(Seeds.derive(cellSeed, Seeds.STREAM_PROJECTION));
        double[] p = new double[DataSpec.MNIST_PIXELS * d];
        double s = 1 / Math.sqrt(d);
        for (int i = 0; i < p.length; i++) p[i] = s * g.next();
        return p;
    }
}
