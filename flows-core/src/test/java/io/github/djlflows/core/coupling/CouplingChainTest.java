package io.github.djlflows.core.coupling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.elementwise.ReversePermutation;
import io.github.djlflows.core.testing.SamePass;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@link FlowSequence} hands consecutive block-wise couplings their input as two blocks (no join
 * and re-split between them): same outputs, log-dets, inverse and parameter gradients, in float64,
 * as running each layer on its own, across runs of couplings broken by a permutation, with an odd
 * dimension (blocks of 4 and 3).
 */
class CouplingChainTest {

    private static final int DIM = 7;

    private static FlowSequence sequence() {
        List<FlowBlock> layers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            if (i == 3) {
                layers.add(new ReversePermutation());
            }
            layers.add(
                    AffineCoupling.builder()
                            .setDimension(DIM)
                            .optHiddenSizes(8)
                            .optInvertMask(i % 2 == 1)
                            .build());
        }
        return new FlowSequence(layers);
    }

    /** Output, log-det, inverse, inverse log-det, then every parameter's gradient. */
    private static List<double[]> run(
            FlowSequence flow, NDManager m, NDArray x, NDArray weights, boolean chained) {
        List<ai.djl.nn.Block> layers = flow.getChildren().values();
        return SamePass.valuesAndGradients(
                flow,
                ps -> {
                    if (chained) {
                        NDList out = flow.forward(ps, new NDList(x), true);
                        return new NDList[] {out, flow.inverse(ps, new NDList(out.get(0)))};
                    }
                    NDList out = oneByOne(layers, ps, x, false);
                    return new NDList[] {out, oneByOne(layers, ps, out.get(0), true)};
                },
                m,
                weights);
    }

    /** The reference: each layer's own forward (or inverse), its output joined, log-dets summed. */
    private static NDList oneByOne(
            List<ai.djl.nn.Block> layers, ParameterStore ps, NDArray x, boolean inverse) {
        NDArray out = x;
        NDArray logDet = null;
        for (int i = 0; i < layers.size(); i++) {
            FlowBlock layer = (FlowBlock) layers.get(inverse ? layers.size() - 1 - i : i);
            NDList r =
                    inverse
                            ? layer.inverse(ps, new NDList(out))
                            : layer.forward(ps, new NDList(out), true);
            out = r.get(0);
            logDet = logDet == null ? r.get(1) : logDet.add(r.get(1));
        }
        return new NDList(out, logDet);
    }

    @Test
    void chainedCouplingsComputeWhatTheLayersComputeOneByOne() {
        Engine.getInstance().setRandomSeed(17);
        try (NDManager m = NDManager.newBaseManager()) {
            FlowSequence flow = sequence();
            Shape shape = new Shape(5, DIM);
            flow.initialize(m, DataType.FLOAT64, shape);
            SamePass.randomizeParameters(flow, m);
            NDArray x = m.randomNormal(0f, 1.5f, shape, DataType.FLOAT64);
            NDArray weights = m.randomUniform(0.5f, 1.5f, shape, DataType.FLOAT64);
            List<double[]> reference = run(flow, m, x, weights, false);
            List<double[]> chained = run(flow, m, x, weights, true);
            SamePass.assertAgree("chained and one-by-one passes", reference, chained);
            double[] z = chained.get(0);
            double[] input = x.toDoubleArray();
            double moved = 0;
            for (int j = 0; j < z.length; j++) {
                moved = Math.max(moved, Math.abs(z[j] - input[j]));
            }
            assertTrue(moved > 0.1, "the couplings left the input unchanged");
        }
    }
}
