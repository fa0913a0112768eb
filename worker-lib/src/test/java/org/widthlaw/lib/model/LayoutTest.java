package org.widthlaw.lib.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.widthlaw.lib.blas.Blas;
import org.widthlaw.lib.data.DataSpec;
import org.widthlaw.lib.data.Datasets;
import org.widthlaw.lib.data.Labels;

/** The parameter and activation layout shared by the float64 and float32 steps (package-private, so tested here). */
class LayoutTest {
    static final int D = 4;
    static final int[] WIDTHS = {3, 1, 8, 5};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Trained trained : Trained.values()) {
            for (int k : new int[] {1, 3}) {
                out.add(Arguments.of(new ModelSpec(Arch.TWO_LAYER, 2, trained, Activation.RELU, Double.NaN, 0.5), k));
                out.add(Arguments.of(new ModelSpec(Arch.FC, 2, trained, Activation.RELU, Double.NaN, 0.5), k));
                out.add(Arguments.of(new ModelSpec(Arch.FC, 5, trained, Activation.SOFTPLUS, Double.NaN, 0.5), k));
                out.add(Arguments.of(new ModelSpec(Arch.RESNET, 3, trained, Activation.RELU, Double.NaN, 0.5), k));
                out.add(Arguments.of(new ModelSpec(Arch.RESNET, 4, trained, Activation.SOFTPLUS, 2.0, 0.25), k));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("cases")
    void segmentsHoldExactlyTheTrainedParametersOfEachProbe(ModelSpec spec, int k) {
        Layout lay = new Layout(spec, D, k, WIDTHS);
        int[] owner = new int[lay.size];
        java.util.Arrays.fill(owner, -1);
        for (int j = 0; j < lay.batch; j++) {
            long count = 0;
            for (int s = 0; s < lay.segFrom[j].length; s++) {
                int from = lay.segFrom[j][s], to = lay.segTo[j][s];
                assertTrue(0 <= from && from < to && to <= lay.size, "segment " + s + " of probe " + j);
                for (int i = from; i < to; i++) {
                    assertEquals(-1, owner[i], "entry " + i + " in two segments");
                    owner[i] = j;
                    count++;
                }
            }
            assertEquals(spec.params(WIDTHS[j], D, k), count, "probe " + j);
        }
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("cases")
    void probeBlocksTileTheParametersAndTheColumns(ModelSpec spec, int k) {
        Layout lay = new Layout(spec, D, k, WIDTHS);
        assertEquals(spec.depth() - 1, lay.layers);
        assertEquals(WIDTHS.length, lay.batch);
        assertEquals(WIDTHS.length * k, lay.outputs);
        int total = 0;
        for (int j = 0; j < lay.batch; j++) {
            assertEquals(WIDTHS[j], lay.widths[j]);
            assertEquals(total, lay.col[j], "probe " + j + " starts where the one before ends");
            total += WIDTHS[j];
        }
        assertEquals(total, lay.total);
        // Every weight block, layer by layer and probe by probe, then the outputs: consecutive, no gap, no overlap.
        int off = 0;
        for (int l = 0; l < lay.layers; l++) {
            for (int j = 0; j < lay.batch; j++) {
                assertEquals(off, lay.wOff[l][j], "W_" + (l + 1) + " of probe " + j);
                assertEquals(WIDTHS[j] * (l == 0 ? D : WIDTHS[j]), lay.weights(l, j));
                off += lay.weights(l, j);
            }
        }
        for (int j = 0; j < lay.batch; j++) {
            assertEquals(off, lay.aOff[j], "a of probe " + j);
            off += WIDTHS[j] * k;
        }
        assertEquals(off, lay.size);
        // The fused products read the first layers as one M x d matrix and the outputs as one M x k matrix.
        for (int j = 0; j < lay.batch; j++) {
            assertEquals(lay.wOff[0][0] + lay.col[j] * D, lay.wOff[0][j]);
            assertEquals(lay.aOff[0] + lay.col[j] * k, lay.aOff[j]);
        }
    }

    @ParameterizedTest(name = "{0} k={1}")
    @MethodSource("cases")
    void scalesAndSkipsFollowTheFamily(ModelSpec spec, int k) {
        Layout lay = new Layout(spec, D, k, WIDTHS);
        boolean resnet = spec.arch() == Arch.RESNET;
        for (int l = 0; l < lay.layers; l++) {
            assertEquals(resnet && l > 0 ? 1.0 : 0.0, lay.skip[l]);
            for (int j = 0; j < lay.batch; j++) {
                int m = WIDTHS[j];
                double s = resnet && l > 0
                        ? spec.cRes() / (spec.depth() * Math.sqrt(m))
                        : Math.sqrt(spec.effectiveCSigma() / m);
                assertEquals(s, lay.scale[l][j], 0.0);
                for (int c = lay.col[j]; c < lay.col[j] + m; c++) assertEquals(s, lay.colScale[l][c], 0.0);
            }
        }
    }

    @Test
    void aNetworkAnswersFromItsLayout() {
        ModelSpec spec = new ModelSpec(Arch.RESNET, 4, Trained.ALL, Activation.RELU, Double.NaN, 0.5);
        Network net =
                new Network(spec, Datasets.build(DataSpec.sphere(D, Labels.RANDOM, 2), 10, 1), WIDTHS, Blas.get());
        Layout lay = net.layout();
        assertEquals(lay.size, net.size());
        assertEquals(lay.layers, net.hiddenLayers());
        for (int j = 0; j < WIDTHS.length; j++) {
            assertEquals(WIDTHS[j], net.width(j));
            assertTrue(lay.segFrom[j] == net.segmentsFrom(j) && lay.segTo[j] == net.segmentsTo(j));
        }
        assertEquals(lay.size, new FloatNetwork(net).gradient().length);
        int[] widths = WIDTHS.clone();
        Layout own = new Layout(spec, D, 2, widths);
        widths[0] = 99;
        assertEquals(WIDTHS[0], own.widths[0], "the layout keeps its own copy of the widths");
    }

    @Test
    void rejectsEmptyBatchesAndZeroWidths() {
        ModelSpec spec = ModelSpec.twoLayer();
        assertThrows(IllegalArgumentException.class, () -> new Layout(spec, D, 1, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new Layout(spec, D, 1, new int[] {4, 0}));
    }
}
