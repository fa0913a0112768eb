package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.widthlaw.lib.data.DataKind;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Idx;
import org.widthlaw.lib.data.Labels;

class DataTest {
    /** Writes a gzip IDX file of unsigned bytes with the given dimensions. */
    static void idx(Path file, int[] dims, byte[] data) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                GZIPOutputStream gz = new GZIPOutputStream(raw);
                DataOutputStream out = new DataOutputStream(gz)) {
            out.writeInt(0x0800 | dims.length);
            for (int d : dims) out.writeInt(d);
            out.write(data);
        }
    }

    /** A fake Fashion-MNIST: image i has pixel (i mod 784) lit at 255 and a faint background; label i mod 10. */
    static Path fakeMnist(Path dir, int train, int test) throws IOException {
        for (String[] part : new String[][] {{"train", String.valueOf(train)}, {"t10k", String.valueOf(test)}}) {
            int n = Integer.parseInt(part[1]);
            byte[] px = new byte[n * 784];
            byte[] lb = new byte[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 784; j++) px[i * 784 + j] = (byte) ((i * 31 + j * 7) % 13);
                px[i * 784 + (i * 37) % 784] = (byte) 255;
                lb[i] = (byte) (i % 10);
            }
            idx(dir.resolve(part[0] + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, px);
            idx(dir.resolve(part[0] + "-labels-idx1-ubyte.gz"), new int[] {n}, lb);
        }
        return dir;
    }

    @Test
    void readsAnIdxFileTheTestWrote(@TempDir Path dir) throws IOException {
        byte[] data = {0, 1, 2, (byte) 200, (byte) 255, 7};
        idx(dir.resolve("a.gz"), new int[] {2, 3}, data);
        Idx.Array a = Idx.read(dir.resolve("a.gz"));
        assertArrayEquals(new int[] {2, 3}, a.dims());
        assertEquals(2, a.count());
        assertEquals(3, a.itemSize());
        assertArrayEquals(data, a.data());
        assertEquals(200, a.data()[3] & 0xFF);
        Files.write(dir.resolve("bad"), new byte[] {0, 0, 9, 1, 0, 0, 0, 1, 5});
        var e = assertThrows(Checks.InvalidValue.class, () -> Idx.read(dir.resolve("bad")));
        assertTrue(e.getMessage().contains("is not an IDX file of unsigned bytes"), e.getMessage());
        var missing = assertThrows(Checks.InvalidValue.class, () -> Idx.read(dir.resolve("nope.gz")));
        assertTrue(missing.getMessage().contains("dataset-fashion-mnist"), missing.getMessage());
    }

    @Test
    void fashionMnistFromIdxFilesNestsProjectsAndKeepsClasses(@TempDir Path dir) throws IOException {
        fakeMnist(dir, 200, 50);
        DataSpec two = new DataSpec(DataKind.FASHION_MNIST, 20, Labels.NATURAL, 1, dir.toString(), List.of(3, 7));
        Dataset small = Datasets.build(two, 10, 4);
        Dataset big = Datasets.build(two, 30, 4);
        for (int i = 0; i < small.x().length; i++) assertEquals(small.x()[i], big.x()[i], 0.0);
        for (int i = 0; i < 30; i++) {
            double s = 0;
            for (int c = 0; c < 20; c++) s += big.x()[i * 20 + c] * big.x()[i * 20 + c];
            assertEquals(1.0, s, 1e-12);
            assertTrue(big.y()[i] == 1.0 || big.y()[i] == -1.0);
            assertEquals(big.y()[i] == 1.0 ? 0 : 1, big.classOf()[i]);
        }
        assertEquals(10, big.test().n(), "the test images of classes 3 and 7");
        Dataset shuffled = Datasets.build(
                new DataSpec(DataKind.FASHION_MNIST, 20, Labels.SHUFFLED, 1, dir.toString(), List.of(3, 7)), 30, 4);
        assertArrayEquals(big.x(), shuffled.x(), "shuffling moves labels, not images");
        assertTrue(!Arrays.equals(big.y(), shuffled.y()));
        DataSpec all = new DataSpec(DataKind.FASHION_MNIST, 784, Labels.NATURAL, 10, dir.toString(), List.of());
        Dataset raw = Datasets.build(all, 25, 1);
        for (int i = 0; i < 25; i++) {
            double rowSum = 0;
            for (int c = 0; c < 10; c++) rowSum += raw.y()[i * 10 + c];
            assertEquals(1.0, rowSum, 0.0, "one-hot");
        }
        var tooMany = assertThrows(Checks.InvalidValue.class, () -> Datasets.check(two, 100));
        assertTrue(tooMany.getMessage().startsWith("grid.n: asks for 100 samples"), tooMany.getMessage());
    }

    @Test
    void realFashionMnistWhenInstalled() {
        Path dir = Path.of(DataSpec.MNIST_DIR);
        assumeTrue(
                Files.exists(dir.resolve("train-images-idx3-ubyte.gz")),
                "skipped: Fashion-MNIST is not installed at " + dir + " (apt-get install dataset-fashion-mnist)");
        Dataset d = Datasets.build(
                new DataSpec(DataKind.FASHION_MNIST, 784, Labels.NATURAL, 10, dir.toString(), List.of()), 100, 0);
        assertEquals(10_000, d.test().n());
        assertEquals(784, d.d());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong column count | 1,2,3\\n4,5                  | line 2, column 3: has 2 columns, expected 3 (2 features, 1 label)
            not a number       | x1,x2,y\\n1,2,3\\n1,abc,3       | line 3, column 2: 'abc' is not a number
            NaN                | 1,2,3\\n1,NaN,3               | line 2, column 2: 'NaN' is not a finite number
            infinity           | 1,2,Infinity                | line 1, column 3: 'Infinity' is not a finite number
            zero vector        | 1,2,3\\n0,0,1                 | line 2, column 1: the feature vector is all zeros
            """)
    void csvErrorsNameFileLineAndColumn(String label, String text, String message, @TempDir Path dir)
            throws IOException {
        Path f = dir.resolve("data.csv");
        Files.writeString(f, text.replace("\\n", "\n") + "\n");
        DataSpec spec = new DataSpec(DataKind.CSV, 2, Labels.GIVEN, 1, f.toString(), List.of());
        var e = assertThrows(Checks.InvalidValue.class, () -> Datasets.check(spec, 1), label);
        assertTrue(e.getMessage().startsWith("data.path: " + f + ", " + message), e.getMessage());
    }

    @Test
    void aGoodCsvWithAHeaderLoadsNormalisedAndNested(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ok.csv");
        StringBuilder b = new StringBuilder("a,b,label\n");
        for (int i = 1; i <= 12; i++)
            b.append(i).append(',').append(2 * i + 1).append(',').append(i % 3).append('\n');
        Files.writeString(f, b.toString());
        DataSpec spec = new DataSpec(DataKind.CSV, 2, Labels.GIVEN, 1, f.toString(), List.of());
        Datasets.check(spec, 12);
        Dataset five = Datasets.build(spec, 5, 9);
        Dataset ten = Datasets.build(spec, 10, 9);
        for (int i = 0; i < 10; i++) assertEquals(five.x()[i], ten.x()[i], 0.0);
        for (int i = 0; i < 10; i++)
            assertEquals(1.0, ten.x()[2 * i] * ten.x()[2 * i] + ten.x()[2 * i + 1] * ten.x()[2 * i + 1], 1e-12);
    }
}
