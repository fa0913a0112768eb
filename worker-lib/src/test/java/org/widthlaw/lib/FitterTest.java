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
        assertEquals(ScalingFit.LINEAR, Fitter.verdict(0.92, 0.98), "within [0.9, 1.1] without containing 1");
        assertEquals(ScalingFit.CONSISTENT_WITH_LINEAR, Fitter.verdict(0.5, 1.5));
        assertEquals(ScalingFit.CONSISTENT_WITH_LINEAR, Fitter.verdict(0.79, 2.15));
        assertEquals(ScalingFit.SUPER_LINEAR, Fitter.verdict(1.2, 1.5));
        assertEquals(ScalingFit.SUPER_LINEAR, Fitter.verdict(1.05, 1.3), "above 1, partly inside [0.9, 1.1]");
        assertEquals(ScalingFit.SUB_LINEAR, Fitter.verdict(0.5, 0.85));
        assertEquals(ScalingFit.SUB_LINEAR, Fitter.verdict(0.85, 0.95));
        assertEquals(ScalingFit.INCONCLUSIVE, Fitter.verdict(Double.NaN, 1.0));
    }

    @Test
    void unreachedCellsAreCensoredAndTooFewNsAreInsufficient() {
        List<Point> pts =
                List.of(new Point(50, 0, 10, 100, CellStatus.FOUND), new Point(100, 0, 0, 0, CellStatus.UNREACHED));
        ScalingFit f = Fitter.fit(pts, 1, 1000);
        assertEquals(ScalingFit.INSUFFICIENT, f.verdict());
        assertEquals(2, f.points().size());
        // Two values of n: the fits are given, the verdict is not.
        List<Point> two = List.of(
                new Point(50, 0, 10, 100, CellStatus.FOUND),
                new Point(50, 1, 11, 110, CellStatus.FOUND),
                new Point(100, 0, 20, 200, CellStatus.FOUND),
                new Point(100, 1, 22, 220, CellStatus.FOUND));
        ScalingFit t = Fitter.fit(two, 1, 1000);
        assertEquals(ScalingFit.INSUFFICIENT, t.verdict());
        assertTrue(Double.isFinite(t.power().alpha()));
    }

    @Test
    void thePowerLawReportsItsMultiplierAndItsLog() {
        ScalingFit f = Fitter.fit(points(n -> 0.01 * Math.pow(n, 2.0), 0.0), 3, 1000);
        // Exact data up to rounding to whole parameters: c = 0.01, log c = ln 0.01.
        assertEquals(0.01, f.power().c(), 2e-4);
        assertEquals(Math.log(0.01), f.power().logC(), 0.02);
        assertEquals(Math.exp(f.power().logC()), f.power().c(), 1e-15);
        assertEquals(0.01 * 400 * 400, f.power().at(400), 16);
    }

    @Test
    void theQuadraticsCoefficientsComeWithItsAic() {
        ScalingFit f = Fitter.fit(points(n -> 5 + 2 * n + 0.003 * n * n, 0.0), 3, 1000);
        assertEquals(0.003, f.quadratic().a2(), 2e-6);
        assertEquals(2.0, f.quadratic().a1(), 2e-3);
        assertEquals(5.0, f.quadratic().a0(), 1.0);
        assertTrue(Double.isFinite(f.aic().quadratic()));
        // Too few points for the quadratic: no coefficients and no AIC.
        List<Point> three = List.of(
                new Point(50, 0, 10, 100, CellStatus.FOUND),
                new Point(100, 0, 20, 200, CellStatus.FOUND),
                new Point(200, 0, 40, 400, CellStatus.FOUND));
        ScalingFit g = Fitter.fit(three, 1, 1000);
        assertTrue(Double.isNaN(g.quadratic().a0()) && Double.isNaN(g.aic().quadratic()));
    }

    @Test
    void aicIsItsFormulaOnTheLeastSquaresResiduals() {
        List<Point> pts = points(n -> 3.0 * n + 40, 0.1);
        ScalingFit f = Fitter.fit(pts, 5, 1000);
        // Independent least squares in closed form, then N ln(RSS / N) + 2 k with k = 3 (slope,
        // intercept, error variance).
        int len = pts.size();
        double mx = 0, my = 0;
        for (Point p : pts) {
            mx += p.n();
            my += p.minParams();
        }
        mx /= len;
        my /= len;
        double sxy = 0, sxx = 0;
        for (Point p : pts) {
            sxy += (p.n() - mx) * (p.minParams() - my);
            sxx += (p.n() - mx) * (p.n() - mx);
        }
        double a = sxy / sxx, b = my - a * mx;
        double rss = 0, rssPow = 0;
        for (Point p : pts) {
            double e = p.minParams() - (a * p.n() + b);
            rss += e * e;
            double ep = p.minParams() - f.power().at(p.n());
            rssPow += ep * ep;
        }
        assertEquals(len * Math.log(rss / len) + 6, f.aic().linear(), 1e-9);
        assertEquals(len * Math.log(rssPow / len) + 6, f.aic().power(), 1e-9);
        assertEquals(a, f.linear().a(), 1e-12);
    }

    /**
     * The bootstrap interval on noisy data, against the truth: over many data sets drawn from a
     * known power law with log-normal noise, the 95% interval of alpha must contain the true alpha
     * in most of them, and be narrow enough to exclude a clearly different alpha.
     */
    @Test
    void theBootstrapIntervalCoversTheTrueExponentOnNoisyData() {
        int sets = 200, covered = 0, excludesOne = 0;
        Gaussian g = new Gaussian(99);
        for (int k = 0; k < sets; k++) {
            List<Point> pts = new ArrayList<>();
            for (int n : new int[] {50, 100, 200, 400, 800}) {
                for (int s = 0; s < 4; s++) {
                    long p = Math.max(1, Math.round(2.0 * Math.pow(n, 1.3) * Math.exp(0.15 * g.next())));
                    pts.add(new Point(n, s, (int) p, p, CellStatus.FOUND));
                }
            }
            ScalingFit f = Fitter.fit(pts, k, 1000);
            if (f.power().alphaLo() <= 1.3 && f.power().alphaHi() >= 1.3) covered++;
            if (f.power().alphaLo() > 1.0) excludesOne++;
        }
        double coverage = (double) covered / sets;
        // A percentile bootstrap over 4 seeds per n under-covers somewhat (its strata are small);
        // 0.80 is far below what it gives and far above what a broken interval would.
        assertTrue(coverage >= 0.80 && coverage <= 0.995, "coverage " + coverage);
        assertTrue(excludesOne >= 0.95 * sets, "alpha = 1.3 with this noise is told from 1: " + excludesOne);
    }
}
