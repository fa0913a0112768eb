package org.widthlaw.lib.model;

import org.widthlaw.lib.Named;

/** The activation sigma and its derivative, applied elementwise. */
public enum Activation implements Named {
    RELU("relu") {
        @Override
        public double value(double z) {
            return z > 0 ? z : 0;
        }

        @Override
        public double derivative(double z) {
            return z > 0 ? 1 : 0;
        }
    },
    SOFTPLUS("softplus") {
        @Override
        public double value(double z) {
            // log(1 + e^z) without overflow
            return z > 0 ? z + StrictMath.log1p(StrictMath.exp(-z)) : StrictMath.log1p(StrictMath.exp(z));
        }

        @Override
        public double derivative(double z) {
            return z >= 0 ? 1.0 / (1.0 + StrictMath.exp(-z)) : StrictMath.exp(z) / (1.0 + StrictMath.exp(z));
        }
    };

    private final String id;
    private volatile double secondMoment = Double.NaN;

    Activation(String id) {
        this.id = id;
    }

    public abstract double value(double z);

    public abstract double derivative(double z);

    @Override
    public String id() {
        return id;
    }

    /** The activation named {@code id}; otherwise an error naming {@code field} and what is allowed. */
    public static Activation of(String id, String field) {
        return Named.parse(values(), id, field);
    }

    /** E_{z ~ N(0,1)}[sigma(z)^2], by Simpson's rule on [-12, 12] (exactly 1/2 for ReLU). */
    public double secondMoment() {
        double m = secondMoment;
        if (Double.isNaN(m)) {
            int steps = 24_000;
            double lo = -12, h = 24.0 / steps, s = 0;
            for (int i = 0; i <= steps; i++) {
                double z = lo + i * h;
                double f = value(z) * value(z) * StrictMath.exp(-0.5 * z * z);
                s += f * (i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2));
            }
            m = s * h / 3 / Math.sqrt(2 * Math.PI);
            secondMoment = m;
        }
        return m;
    }
}
