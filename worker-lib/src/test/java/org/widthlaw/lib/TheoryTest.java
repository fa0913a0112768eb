package org.widthlaw.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.widthlaw.lib.data.Dataset;
import org.widthlaw.lib.theory.Ntk;
import org.widthlaw.lib.theory.Theory;

class TheoryTest {
    /** Three unit vectors in the plane at 0, 90 and 180 degrees. */
    static Dataset threePoints() {
        double[] x = {1, 0, 0, 1, -1, 0};
        return new Dataset(3, 2, 1, x, new double[] {1, 2, 3});
    }

    @Test
    void hInfinityAndLambda0OfAHandComputedCase() {
        // H_ij = x_i.x_j (pi - arccos(x_i.x_j)) / (2 pi): diagonal 1 * pi / 2pi = 1/2; orthogonal pairs 0;
        // opposite pair: -1 * (pi - pi) / 2pi = 0.  So H = I/2 and lambda0 = 1/2.
        double[][] h = Ntk.hInfinity(threePoints());
        double[][] expected = {{0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 0.5}};
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(expected[i][j], h[i][j], 1e-15);
        assertEquals(0.5, Ntk.lambda0(threePoints()), 1e-12);
        // At 60 degrees: x.y = 1/2, H = 1/2 (pi - pi/3) / 2pi = 1/6; the 2x2 [[1/2, 1/6], [1/6, 1/2]] has lambda_min
        // 1/3.
        Dataset two = new Dataset(2, 2, 1, new double[] {1, 0, 0.5, Math.sqrt(3) / 2}, new double[] {1, 1});
        assertEquals(1.0 / 6, Ntk.hInfinity(two)[0][1], 1e-15);
        assertEquals(1.0 / 3, Ntk.lambda0(two), 1e-12);
    }

    @Test
    void theFormulasOfSectionSeven() {
        assertEquals(Math.pow(10, 6) / (Math.pow(0.5, 4) * 1e-3), Theory.duTheorem41(10, 0.5), 1e-3);
        assertEquals(100 * Math.log(100) / 0.25, Theory.duLemma31(10, 0.5), 1e-9);
        assertEquals(
                Math.pow(3, 24) * Math.pow(2, 12) / Math.pow(0.5, 8),
                Theory.allenZhu(3, 2, 0.5),
                1e-3 * Math.pow(3, 24));
        assertEquals(40, Theory.kawaguchiOutput(20, 2), 0);
        assertEquals(20, Theory.degreesOfFreedom(20, 1), 0);
        assertEquals(Math.sqrt(2), Theory.minPairwiseDistance(threePoints().x(), 3, 2), 1e-15);
    }

    @Test
    void eigenvaluesOfTinyHugeZeroAndBadMatrices() {
        double[] m = {2, 1, 1, 2}; // eigenvalues 1 and 3
        for (double scale : new double[] {1e-300, 1e-160, 1, 1e160, 1e300}) {
            double[] a = new double[4];
            for (int i = 0; i < 4; i++) a[i] = m[i] * scale;
            double[] w = org.widthlaw.lib.theory.Eigen.symmetric(a, 2);
            assertEquals(1 * scale, w[0], 1e-12 * scale);
            assertEquals(3 * scale, w[1], 1e-12 * scale);
        }
        assertEquals(0.0, org.widthlaw.lib.theory.Eigen.symmetric(new double[4], 2)[0], 0.0);
        org.junit.jupiter.api.Assertions.assertThrows(
                ArithmeticException.class,
                () -> org.widthlaw.lib.theory.Eigen.symmetric(new double[] {1, Double.NaN, Double.NaN, 1}, 2));
    }
}
