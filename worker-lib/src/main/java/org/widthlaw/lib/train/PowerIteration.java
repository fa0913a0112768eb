package org.widthlaw.lib.train;

import org.widthlaw.lib.Gaussian;
import org.widthlaw.lib.model.Network;

/**
 * lambda_max of the empirical NTK Gram H = J J^T at the network's current parameters, by power
 * iteration with Jacobian products (v -> J (J^T v)); the Jacobian is never formed. At most
 * {@link #MAX_ITERATIONS} iterations, stopping when the Rayleigh quotient changes by less than
 * {@link #REL_TOL} relatively.
 */
public final class PowerIteration {
    public static final int MAX_ITERATIONS = 100;
    public static final double REL_TOL = 1e-4;

    private PowerIteration() {}

    /** Requires a forward pass at the current parameters. */
    public static double lambdaMax(Network net, long seed) {
        int nk = net.outputs().length;
        double[] v = new double[nk];
        double[] w = new double[nk];
        double[] u = new double[net.size()];
        new Gaussian(seed).fill(v);
        scale(v, 1.0 / norm(v));
        double lambda = 0;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            net.vjp(v, u);
            net.jvp(u, w);
            double next = dot(v, w);
            double wn = norm(w);
            if (wn == 0) return 0;
            for (int i = 0; i < nk; i++) v[i] = w[i] / wn;
            boolean done = it > 0 && Math.abs(next - lambda) <= REL_TOL * Math.abs(next);
            lambda = next;
            if (done) break;
        }
        return lambda;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static void scale(double[] a, double c) {
        for (int i = 0; i < a.length; i++) a[i] *= c;
    }
}
