package org.widthlaw.lib.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.train.Precision;
import org.widthlaw.lib.train.ProbeResult;
import org.widthlaw.lib.train.ProbeStatus;
import org.widthlaw.lib.train.Provenance;
import org.widthlaw.lib.train.Trend;

/** m*_inf recovered from crossing times that follow the law exactly, and bounded by stalled probes. */
class AsymptoticWidthTest {
    static final Provenance HERE = new Provenance("v", "c", "j", "o", "cpu", "b", "l", "k", 1, "h", 0);

    static ProbeResult probe(
            int width, ProbeStatus status, OptionalInt crossing, Optional<Trend> trend, OptionalDouble tx) {
        OptionalDouble none = OptionalDouble.empty();
        return new ProbeResult(
                "p" + width,
                "c",
                width,
                width,
                status,
                crossing.orElse(1000),
                1e-3,
                0.1,
                none,
                none,
                none,
                none,
                1,
                1,
                Precision.FLOAT64,
                new int[0],
                new double[0],
                none,
                none,
                HERE,
                1_000_000,
                crossing,
                new int[0],
                new double[0],
                none,
                trend,
                tx,
                0);
    }

    static double law(double m) {
        return 1e5 * Math.pow(m - 7.3, -1.5);
    }

    @Test
    void recoversTheWidthWhereCrossingTimeDiverges() {
        List<ProbeResult> ps = new ArrayList<>();
        for (int m = 9; m <= 20; m++) {
            ps.add(probe(
                    m,
                    ProbeStatus.SUCCESS,
                    OptionalInt.of((int) Math.round(law(m))),
                    Optional.empty(),
                    OptionalDouble.empty()));
        }
        // A converging failure's extrapolated crossing informs it too; a stalled one below is a floor.
        ps.add(probe(
                8, ProbeStatus.FAIL, OptionalInt.empty(), Optional.of(Trend.CONVERGING), OptionalDouble.of(law(8))));
        ps.add(probe(
                5, ProbeStatus.EARLY_FAIL, OptionalInt.empty(), Optional.of(Trend.STALLED), OptionalDouble.empty()));
        AsymptoticWidth.Estimate e = AsymptoticWidth.of(ps, 1).orElseThrow();
        assertEquals(7.3, e.mInf(), 0.02);
        assertEquals(1.5, e.gamma(), 0.01);
        assertTrue(e.lo() <= e.mInf() && e.mInf() <= e.hi(), e.toString());
        assertEquals(13, e.widths());
    }

    @Test
    void aStalledWidthBoundsItFromBelowAndTooFewWidthsGiveNothing() {
        List<ProbeResult> ps = new ArrayList<>();
        for (int m = 9; m <= 20; m++) {
            ps.add(probe(
                    m,
                    ProbeStatus.SUCCESS,
                    OptionalInt.of((int) Math.round(law(m))),
                    Optional.empty(),
                    OptionalDouble.empty()));
        }
        ps.add(probe(8, ProbeStatus.FAIL, OptionalInt.empty(), Optional.of(Trend.STALLED), OptionalDouble.empty()));
        AsymptoticWidth.Estimate e = AsymptoticWidth.of(ps, 1).orElseThrow();
        assertTrue(e.mInf() >= 8 && e.lo() >= 8, "a stalled width 8 is a lower bound: " + e);
        assertTrue(AsymptoticWidth.of(ps.subList(0, 2), 1).isEmpty(), "two widths cannot determine three parameters");
    }
}
