package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.Plural;

/** The progress lines count in words that agree with their numbers, and show the estimate they are given. */
class ProgressTest {
    @Test
    void oneProbeOneCellOneSlot() {
        StringWriter w = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(w), 1, false)) {
            p.start(1);
            p.status(0, 1, 0, 0, OptionalDouble.of(125));
            p.recorded(
                    1,
                    GoldenTest.probes().get(0).secs(),
                    GoldenTest.probes().get(0).steps());
            p.finish(1, 0);
        }
        String text = w.toString();
        assertTrue(text.contains("[widthlaw] recorded 1 probe (3.0 s of training)"), text);
        assertTrue(text.contains(", ETA ~2m0"), text);
        assertTrue(text.contains("[widthlaw] done: 1 cell, 1 probe trained ("), text);
        assertTrue(text.contains("% of 1 slot)"), text);
    }

    @Test
    void pluralAgreesWithTheCount() {
        assertEquals("0 probes", Plural.of(0, "probe"));
        assertEquals("1 probe", Plural.of(1, "probe"));
        assertEquals("2 probes", Plural.of(2, "probe"));
        assertEquals("1 label column", Plural.of(1, "label column"));
    }
}
