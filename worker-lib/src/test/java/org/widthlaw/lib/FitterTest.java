package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.fit.Fitter;
import org.widthlaw.lib.fit.Point;
import org.widthlaw.lib.fit.ScalingFit;
import org.widthlaw.lib.search.CellStatus;

class FitterTest {
    static List<Point> points(java.util.function.IntToDoubleFunction law, double noise) {
        List<Point> pts = new ArrayList<>();
        Gaussian g = new Gaussian(1);
        for (int n : new int[] {50, 100, 200, 400, 800}) {
            for (int s = 0; s < 4; s++) {
                long p = Math.round(law.applyAsDouble(n) * (1 + noise * g.next()));
                pts.add(new Point(n, s, (int) p, p, CellStatus.FOUND));
            }
        }
        return pts;
    }

    @Test
    void recoversAKnownSlope() {
        ScalingFit f = Fitter.fit(points(n -> 2.5 * n + 30, 0.0), 7, 1000);
        assertEquals(2.5, f.linear().a(), 1e-2);
        assertEquals(30, f.linear().b(), 2);
        assertEquals(1.0, f.linear().r2(), 1e-6);
        assertTrue(f.linear().aLo() <= 2.5 + 1e-2 && f.linear().aHi() >= 2.5 - 1e-2);
    }

    @Test
    void recoversAKnownExponentWithItsInterval() {
        ScalingFit f = Fitter.fit(points(n -> 0.01 * Math.pow(n, 2.0), 0.05), 7, 2000);
        assertEquals(2.0, f.power().alpha(), 0.05);
        assertTrue(
                f.power().alphaLo() < 2.0 && f.power().alphaHi() > 2.0,
                f.power().alphaLo() + " " + f.power().alphaHi());
        assertTrue(f.power().alphaHi() - f.power().alphaLo() < 0.2);
        assertEquals(ScalingFit.SUPER_LINEAR, f.verdict());
        assertTrue(f.aic().quadratic() < f.aic().linear(), "a quadratic law should beat a line on n^2 data");
    }

    @Test
    void linearDataGivesALinearVerdictAndSameSeedSameInterval() {
        List<Point> pts = points(n -> 3.0 * n, 0.05);
        ScalingFit a = Fitter.fit(pts, 11, 1000);
        ScalingFit b = Fitter.fit(pts, 11, 1000);
        assertEquals(ScalingFit.LINEAR, a.verdict());
        assertEquals(a.power().alphaLo(), b.power().alphaLo(), 0.0);
        assertEquals(a.linear().aHi(), b.linear().aHi(), 0.0);
        assertEquals(pts.size(), a.paramsPerSample().size());
        double mean = a.paramsPerSample().stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
        assertEquals(3.0, mean, 0.1);
        for (int i = 0; i < pts.size(); i++) {
            assertEquals(
                    (double) pts.get(i).minParams() / pts.get(i).n(),
                    a.paramsPerSample().get(i),
                    1e-12);
        }
    }

    @Test
    void verdictFollowsTheProtocol() {
        assertEquals(ScalingFit.LINEAR, Fitter.verdict(0.95, 1.05));
        assertEquals(ScalingFit.LINEAR, Fitter.verdict(0.5, 1.5));
        assertEquals(ScalingFit.SUPER_LINEAR, Fitter.verdict(1.2, 1.5));
        assertEquals(ScalingFit.SUB_LINEAR, Fitter.verdict(0.5, 0.85));
        assertEquals(ScalingFit.INCONCLUSIVE, Fitter.verdict(1.05, 1.3));
    }

    @Test
    void unreachedCellsAreCensoredAndTooFewNsAreInsufficient() {
        List<Point> pts =
                List.of(new Point(50, 0, 10, 100, CellStatus.FOUND), new Point(100, 0, 0, 0, CellStatus.UNREACHED));
        ScalingFit f = Fitter.fit(pts, 1, 1000);
        assertEquals(ScalingFit.INSUFFICIENT, f.verdict());
        assertEquals(2, f.points().size());
    }
}
