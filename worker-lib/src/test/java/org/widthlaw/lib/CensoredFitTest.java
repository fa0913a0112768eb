package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.widthlaw.lib.fit.CensoredFit;
import org.widthlaw.lib.fit.CensoredLaw;
import org.widthlaw.lib.fit.Fitter;
import org.widthlaw.lib.fit.Point;
import org.widthlaw.lib.fit.ScalingFit;
import org.widthlaw.lib.search.CellStatus;

/** The censored power law (docs/METHOD.md section 6) against known laws and censoring theory. */
class CensoredFitTest {
    static final int[] NS = {50, 100, 200, 400, 800};

    /** P* = e^{b0} n^alpha e^{sigma e}, e standard extreme-value (the AFT model itself). */
    static List<Point> aft(double b0, double alpha, double sigma, int seeds, long seed, double censorAbove) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Point> pts = new ArrayList<>();
        for (int n : NS) {
            for (int s = 0; s < seeds; s++) {
                double e = Math.log(-Math.log(1 - rng.nextDouble()));
                long p = Math.max(1, Math.round(Math.exp(b0 + alpha * Math.log(n) + sigma * e)));
                if (p > censorAbove) pts.add(new Point(n, s, 0, 0, CellStatus.UNREACHED, (long) censorAbove));
                else pts.add(new Point(n, s, (int) p, p, CellStatus.FOUND));
            }
        }
        return pts;
    }

    static double mleAlpha(List<Point> pts) {
        double[] x = new double[pts.size()], y = new double[pts.size()];
        boolean[] m = new boolean[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            Point p = pts.get(i);
            x[i] = Math.log(p.n());
            m[i] = p.measured();
            y[i] = Math.log(m[i] ? p.minParams() : p.boundParams());
        }
        return CensoredFit.mle(x, y, m)[1];
    }

    @Test
    void recoversAKnownExponentUnderHeavyCensoring() {
        // About half of the largest n's cells are censored at 12 000 parameters (the law gives 11 950 there).
        List<Point> pts = aft(Math.log(2), 1.3, 0.1, 40, 1, 12_000);
        long censored = pts.stream().filter(Point::censored).count();
        assertTrue(censored >= 10, "the case censors: " + censored);
        CensoredLaw law = CensoredFit.fit(pts, 3, 1000, CensoredFit::mle, CensoredFit.ENGINE)
                .orElseThrow();
        assertEquals(1.3, law.alpha(), 0.03);
        assertEquals(0.1, law.scale(), 0.02);
        assertTrue(law.alphaLo() < 1.3 && 1.3 < law.alphaHi(), law.alphaLo() + " " + law.alphaHi());
        assertEquals((int) censored, law.censored());
        // Dropping the censored points instead biases alpha down: the largest P* are the ones lost.
        double dropped = Fitter.fit(pts, 3, 1000).power().alpha();
        assertTrue(dropped < law.alpha() - 0.02, "least squares without them: " + dropped);
    }

    @Test
    void withoutCensoringItAgreesWithLeastSquaresWithinItsInterval() {
        // Log-normal noise (the least-squares model, not the AFT one): both estimate the same alpha.
        SplittableRandom rng = new SplittableRandom(5);
        Gaussian g = new Gaussian(5);
        List<Point> pts = new ArrayList<>();
        for (int n : NS) {
            for (int s = 0; s < 4; s++) {
                long p = Math.round(3 * Math.pow(n, 1.1) * Math.exp(0.1 * g.next()));
                pts.add(new Point(n, s, (int) p, p, CellStatus.FOUND));
            }
        }
        rng.nextInt();
        ScalingFit ls = Fitter.fit(pts, 9, 2000);
        double a = mleAlpha(pts);
        assertTrue(
                ls.power().alphaLo() <= a && a <= ls.power().alphaHi(),
                a + " outside [" + ls.power().alphaLo() + ", " + ls.power().alphaHi() + "]");
        // No censored point: no censored law is reported (it would repeat the least-squares one).
        assertTrue(CensoredFit.fit(pts, 9, 1000, CensoredFit::mle, CensoredFit.ENGINE)
                .isEmpty());
    }

    @Test
    void aCensoredPointPullsTheLawUpOnlyWhenItsBoundIsAboveIt() {
        List<Point> base = aft(Math.log(2), 1.0, 0.1, 4, 7, Double.MAX_VALUE);
        double without = mleAlpha(base);
        double at800 = 2 * 800; // the law's value at the largest n
        // A censored cell at n = 800 whose bound is far above the law: P* > 3x the law there.
        List<Point> high = new ArrayList<>(base);
        high.add(new Point(800, 9, 0, 0, CellStatus.UNREACHED, (long) (3 * at800)));
        // One whose bound is far below: it says only what every measured point there already says.
        List<Point> low = new ArrayList<>(base);
        low.add(new Point(800, 9, 0, 0, CellStatus.UNREACHED, (long) (0.2 * at800)));
        double withHigh = mleAlpha(high), withLow = mleAlpha(low);
        assertTrue(withHigh > without + 0.01, without + " -> " + withHigh);
        assertEquals(without, withLow, 0.005, "an uninformative bound barely moves alpha");
        // At a small n, the same high bound pulls the law up there: alpha falls.
        List<Point> early = new ArrayList<>(base);
        early.add(new Point(50, 9, 0, 0, CellStatus.UNREACHED, (long) (3 * 2 * 50)));
        assertTrue(mleAlpha(early) < without - 0.01, "a censored point at small n lowers alpha");
    }

    @Test
    void theEstimateIsAMaximumOfTheLikelihood() {
        List<Point> pts = aft(1.0, 0.8, 0.2, 6, 11, 2_000);
        double[] x = new double[pts.size()], y = new double[pts.size()];
        boolean[] m = new boolean[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[i] = Math.log(pts.get(i).n());
            m[i] = pts.get(i).measured();
            y[i] = Math.log(m[i] ? pts.get(i).minParams() : pts.get(i).boundParams());
        }
        double[] e = CensoredFit.mle(x, y, m);
        double best = CensoredFit.logLikelihood(x, y, m, e[0], e[1], Math.log(e[2]));
        double h = 1e-4;
        for (int k = 0; k < 3; k++) {
            double[] p = {e[0], e[1], Math.log(e[2])};
            for (double step : new double[] {-h, h}) {
                double[] q = p.clone();
                q[k] += step;
                assertTrue(CensoredFit.logLikelihood(x, y, m, q[0], q[1], q[2]) <= best + 1e-9, "param " + k);
            }
        }
    }
}
