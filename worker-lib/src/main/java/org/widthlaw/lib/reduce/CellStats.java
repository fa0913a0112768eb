package org.widthlaw.lib.reduce;

import static org.widthlaw.lib.Optionals.box;
import static org.widthlaw.lib.Optionals.unbox;

import java.io.Serial;
import java.io.Serializable;
import java.util.OptionalDouble;

/**
 * Per-cell quantities of the data that the theory needs: lambda0 = lambda_min(H-infinity)
 * (two-layer), lambda of the deep fc Gram (fc with ReLU) and the minimum pairwise distance
 * delta_sep. Each is empty where it does not apply or was not computed.
 */
public record CellStats(OptionalDouble lambda0, OptionalDouble lambdaDeep, OptionalDouble deltaSep)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** OptionalDouble is not Serializable: the stats cross from executor to driver as three nullable numbers. */
    @Serial
    private Object writeReplace() {
        return new Wire(box(lambda0), box(lambdaDeep), box(deltaSep));
    }

    private record Wire(Double lambda0, Double lambdaDeep, Double deltaSep) implements Serializable {
        @Serial
        private Object readResolve() {
            return new CellStats(unbox(lambda0), unbox(lambdaDeep), unbox(deltaSep));
        }
    }
}
