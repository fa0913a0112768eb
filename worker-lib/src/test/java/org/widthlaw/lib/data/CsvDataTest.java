package org.widthlaw.lib.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.widthlaw.lib.Checks;

/** The CSV header rule and the column count of docs/METHOD.md section 2. */
class CsvDataTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static DataSpec csv(Path f, int d, int outputs, CsvHeader header) {
        return new DataSpec(DataKind.CSV, d, Labels.GIVEN, outputs, f.toString(), List.of(), header);
    }

    /** The samples the file holds under this spec, as {@link Datasets#check} counts them. */
    private static int samples(DataSpec spec) {
        var e = assertThrows(Checks.InvalidValue.class, () -> Datasets.check(spec, 1000));
        String tail = e.getMessage().substring(e.getMessage().lastIndexOf(" has ") + 5);
        return Integer.parseInt(tail);
    }

    private static String message(Runnable r) {
        return assertThrows(Checks.InvalidValue.class, r::run).getMessage();
    }

    @Test
    void anAllTextFirstRowIsAHeaderAndIsSkipped() throws IOException {
        Path f = file("h.csv", "a, b ,label\n3,4,1\n0,2,5\n");
        DataSpec spec = csv(f, 2, 1, CsvHeader.AUTO);
        assertEquals(2, samples(spec));
        Dataset all = Datasets.build(spec, 2, 0);
        double[] ys = {all.y()[0], all.y()[1]};
        java.util.Arrays.sort(ys);
        assertEquals(1.0, ys[0], 0.0);
        assertEquals(5.0, ys[1], 0.0);
    }

    @Test
    void anAllNumberFirstRowIsDataUnderAuto() throws IOException {
        Path f = file("n.csv", "9,9,9\n1,0,1\n0,1,2\n");
        assertEquals(3, samples(csv(f, 2, 1, CsvHeader.AUTO)));
    }

    @Test
    void aFirstRowMixingNumbersAndTextIsAnErrorNamingLineAndColumn() throws IOException {
        Path f = file("mixed.csv", "x1,2,y\n1,2,3\n");
        String expected = "data.path: " + f + ", line 1, column 2: the first row mixes text (columns 1, 3) and"
                + " numbers (column 2); a header must be all text and a data row all numbers"
                + " (data.header: true or false decides)";
        assertEquals(expected, message(() -> Datasets.check(csv(f, 2, 1, CsvHeader.AUTO), 1)));
        assertEquals(expected, message(() -> CsvData.features(f, CsvHeader.AUTO, 1)), "also when d is inferred");
        Path g = file("mixed2.csv", "\n1,2,3,label\n1,2,3,4\n");
        assertEquals(
                "data.path: " + g + ", line 2, column 4: the first row mixes text (column 4) and numbers"
                        + " (columns 1-3)",
                message(() -> Datasets.check(csv(g, 3, 1, CsvHeader.AUTO), 1)).replaceFirst(";.*", ""),
                "the first non-blank line; the first column whose kind differs from column 1");
    }

    @Test
    void headerTrueSkipsANumericFirstRowAndAMixedOne() throws IOException {
        Path f = file("t.csv", "9,9,9\n1,0,1\n0,1,2\n");
        assertEquals(2, samples(csv(f, 2, 1, CsvHeader.PRESENT)));
        Dataset two = Datasets.build(csv(f, 2, 1, CsvHeader.PRESENT), 2, 0);
        for (double y : two.y()) assertTrue(y == 1.0 || y == 2.0, "the row 9,9,9 is not a sample");
        Path m = file("tm.csv", "x1,2,y\n1,2,3\n");
        assertEquals(1, samples(csv(m, 2, 1, CsvHeader.PRESENT)));
    }

    @Test
    void headerFalseOnATextFirstRowIsABadRow() throws IOException {
        Path f = file("f.csv", "a,b,label\n3,4,1\n");
        assertEquals(
                "data.path: " + f + ", line 1, column 1: 'a' is not a number",
                message(() -> Datasets.check(csv(f, 2, 1, CsvHeader.ABSENT), 1)));
        Path n = file("fn.csv", "3,4,1\n1,2,3\n");
        assertEquals(2, samples(csv(n, 2, 1, CsvHeader.ABSENT)));
    }

    @Test
    void dIsTheColumnCountLessTheLabelColumns() throws IOException {
        Path f = file("d.csv", "a,b,c,y\n1,2,3,4\n5,6,7,8\n");
        assertEquals(3, CsvData.features(f, CsvHeader.AUTO, 1));
        assertEquals(2, CsvData.features(f, CsvHeader.AUTO, 2));
        assertEquals(3, CsvData.features(f, CsvHeader.ABSENT, 1), "a text first row still counts its columns");
        assertEquals(
                "data.d: cannot be inferred: " + f + " has 4 columns and data.outputs takes 4 label columns,"
                        + " leaving no feature column",
                message(() -> CsvData.features(f, CsvHeader.AUTO, 4)));
        Path header = file("only-header.csv", "a,b,y\n\n");
        assertEquals(
                "data.path: " + header + " has no samples", message(() -> CsvData.features(header, CsvHeader.AUTO, 1)));
        assertEquals(
                "data.path: " + dir.resolve("nope.csv") + " not found",
                message(() -> CsvData.features(dir.resolve("nope.csv"), CsvHeader.AUTO, 1)));
    }

    @Test
    void aGivenDThatDoesNotMatchTheColumnsNamesDataD() throws IOException {
        Path f = file("w.csv", "a,b,y\n1,2,3\n4,5,6\n");
        assertEquals(
                "data.d: is 3, and with 1 label column the rows need 4 columns, but " + f
                        + " has 3 (line 2, the first data row); leave d out to take 2",
                message(() -> Datasets.check(csv(f, 3, 1, CsvHeader.AUTO), 1)));
        assertEquals(
                "data.d: is 1, and with 3 label columns the rows need 4 columns, but " + f
                        + " has 3 (line 2, the first data row)",
                message(() -> Datasets.check(csv(f, 1, 3, CsvHeader.AUTO), 1)));
        assertEquals(2, samples(csv(f, 2, 1, CsvHeader.AUTO)));
    }

    @Test
    void columnListsAreShortened() {
        assertEquals("column 2", CsvData.columns(List.of(2)));
        assertEquals("columns 1, 3-5, 7-8", CsvData.columns(List.of(1, 3, 4, 5, 7, 8)));
    }

    @Test
    void onlyCsvTakesAHeader() {
        assertEquals(
                "data.header: is only for kind csv",
                message(() -> new DataSpec(DataKind.SPHERE, 3, Labels.RANDOM, 1, null, List.of(), CsvHeader.PRESENT)));
    }
}
