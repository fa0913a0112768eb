package org.widthlaw.lib.model;

import org.widthlaw.lib.Checks;
import org.widthlaw.lib.Named;
import org.widthlaw.lib.data.Dataset;

/**
 * The training loss, a sum over samples (docs/METHOD.md section 4). {@code squared} is 0.5 ||f - y||^2;
 * the classification losses take +-1 targets (one output) or one-hot targets (k >= 2 outputs):
 * {@code cross-entropy} is the logistic loss log(1 + exp(-y f)) for one output and softmax cross-entropy
 * logsumexp(f) - f_y for k; {@code hinge} is max(0, 1 - y f) for one output and the multiclass hinge
 * sum_{c != y} max(0, 1 + f_c - f_y) for k.
 *
 * <p>The relative loss r(t) of every loss is its value over that of the zero predictor f = 0 ({@link
 * #zeroLoss}): for {@code squared} this is ||f(X) - Y||^2 / ||Y||^2, the protocol's r(t).
 */
public enum Loss implements Named {
    SQUARED("squared"),
    CROSS_ENTROPY("cross-entropy"),
    HINGE("hinge");

    private final String id;

    Loss(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The value named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static Loss of(String id, String field) {
        return Named.parse(values(), id, field);
    }

    /** Whether success is judged by accuracy and margin rather than by r(t) <= tol. */
    public boolean classification() {
        return this != SQUARED;
    }

    /**
     * Sample i's loss at outputs {@code f[fo..fo+k)} with targets {@code y[yo..yo+k)}; writes dLoss/df into
     * {@code r[ro..ro+k)}. For {@code squared} the value returned is ||f - y||^2 (twice the loss: the sum
     * that r(t) divides by ||Y||^2) and r = f - y.
     */
    public double sample(double[] f, int fo, double[] y, int yo, int k, double[] r, int ro) {
        switch (this) {
            case SQUARED -> {
                double s = 0;
                for (int c = 0; c < k; c++) {
                    double e = f[fo + c] - y[yo + c];
                    r[ro + c] = e;
                    s += e * e;
                }
                return s;
            }
            case CROSS_ENTROPY -> {
                if (k == 1) {
                    double yy = y[yo], z = yy * f[fo];
                    // log(1 + exp(-z)) and its derivative -y sigmoid(-z), without overflow either way.
                    double e = Math.exp(-Math.abs(z));
                    double sig = z >= 0 ? e / (1 + e) : 1 / (1 + e);
                    r[ro] = -yy * sig;
                    return Math.max(-z, 0) + Math.log1p(e);
                }
                double max = f[fo];
                for (int c = 1; c < k; c++) max = Math.max(max, f[fo + c]);
                double sum = 0;
                for (int c = 0; c < k; c++) sum += Math.exp(f[fo + c] - max);
                double lse = max + Math.log(sum);
                int label = label(y, yo, k);
                for (int c = 0; c < k; c++) r[ro + c] = Math.exp(f[fo + c] - lse) - (c == label ? 1 : 0);
                return lse - f[fo + label];
            }
            case HINGE -> {
                if (k == 1) {
                    double yy = y[yo], z = yy * f[fo];
                    r[ro] = z < 1 ? -yy : 0;
                    return Math.max(0, 1 - z);
                }
                int label = label(y, yo, k);
                double fy = f[fo + label], s = 0;
                int active = 0;
                for (int c = 0; c < k; c++) {
                    if (c == label) continue;
                    double h = 1 + f[fo + c] - fy;
                    if (h > 0) {
                        s += h;
                        active++;
                        r[ro + c] = 1;
                    } else r[ro + c] = 0;
                }
                r[ro + label] = -active;
                return s;
            }
            default -> throw new IllegalStateException(id);
        }
    }

    /**
     * Sample i's margin: y f for one output, f_y - max_{c != y} f_c for k; it is correctly classified
     * when the margin is > 0.
     */
    public static double margin(double[] f, int fo, double[] y, int yo, int k) {
        if (k == 1) return y[yo] * f[fo];
        int label = label(y, yo, k);
        double other = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) if (c != label) other = Math.max(other, f[fo + c]);
        return f[fo + label] - other;
    }

    /** Whether a smallest margin meets the success rule: > 0 when gamma = 0, else >= gamma. */
    public static boolean separates(double minMargin, double gamma) {
        return gamma == 0 ? minMargin > 0 : minMargin >= gamma;
    }

    /** The class of a one-hot target row: the index of its largest entry. */
    static int label(double[] y, int yo, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) if (y[yo + c] > y[yo + best]) best = c;
        return best;
    }

    /**
     * The loss of the zero predictor f = 0 on these targets, in the units of {@link #sample}: ||Y||^2 for
     * squared, n log 2 (one output) or n log k for cross-entropy, n or n (k - 1) for hinge.
     */
    public double zeroLoss(Dataset data) {
        int n = data.n(), k = data.k();
        return switch (this) {
            case SQUARED -> data.targetNormSq();
            case CROSS_ENTROPY -> n * Math.log(k == 1 ? 2 : k);
            case HINGE -> (double) n * Math.max(1, k - 1);
        };
    }

    /**
     * Checks that a classification loss has targets it can take: +-1 for one output, one-hot rows for
     * k >= 2 (squared takes any); an error naming {@code train.loss} and the first bad sample otherwise.
     */
    public void checkTargets(Dataset data) {
        if (!classification()) return;
        int n = data.n(), k = data.k();
        double[] y = data.y();
        for (int i = 0; i < n; i++) {
            boolean ok;
            if (k == 1) ok = y[i] == 1 || y[i] == -1;
            else {
                int ones = 0, zeros = 0;
                for (int c = 0; c < k; c++) {
                    if (y[i * k + c] == 1) ones++;
                    else if (y[i * k + c] == 0) zeros++;
                }
                ok = ones == 1 && zeros == k - 1;
            }
            if (!ok) {
                throw Checks.invalid(
                        "train.loss",
                        id + " needs " + (k == 1 ? "targets +1 or -1 (one output)" : "one-hot targets (k outputs)")
                                + "; sample " + i + " has " + row(y, i, k)
                                + " (use loss squared, or class labels: teacher-class, natural, shuffled)");
            }
        }
    }

    private static String row(double[] y, int i, int k) {
        if (k == 1) return Double.toString(y[i]);
        StringBuilder b = new StringBuilder("[");
        for (int c = 0; c < k; c++) b.append(c == 0 ? "" : ", ").append(y[i * k + c]);
        return b.append(']').toString();
    }
}
