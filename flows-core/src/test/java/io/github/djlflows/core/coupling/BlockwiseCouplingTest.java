package io.github.djlflows.core.coupling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.nn.Conditioners;
import io.github.djlflows.core.nn.MlpConditioner;
import io.github.djlflows.core.testing.SamePass;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The block-wise pass of HALF couplings with the default MLP (first-layer columns of the kept
 * block, last-layer rows of the transformed block) against the masked pass of the same layer and
 * parameters, in float64: outputs, log-dets, inverse and every parameter's gradient.
 */
class BlockwiseCouplingTest {

    /** Output, log-det, inverse, inverse log-det, then the gradient of each parameter. */
    private static List<double[]> run(
            CouplingFlow layer, NDManager m, NDArray x, NDArray weights, boolean blockwise) {
        layer.pass = blockwise ? CouplingFlow.ConditionerPass.BLOCKWISE : CouplingFlow.ConditionerPass.MASKED;
        return SamePass.valuesAndGradients(
                layer,
                ps -> {
                    NDList out = layer.forward(ps, new NDList(x), true);
                    return new NDList[] {out, layer.inverse(ps, new NDList(out.get(0)))};
                },
                m,
                weights);
    }

    private static void check(String name, Supplier<CouplingFlow> factory, int dim) {
        Engine.getInstance().setRandomSeed(31);
        try (NDManager m = NDManager.newBaseManager()) {
            CouplingFlow layer = factory.get();
            Shape shape = new Shape(6, dim);
            layer.initialize(m, DataType.FLOAT64, shape);
            SamePass.randomizeParameters(layer, m);
            NDArray x = m.randomNormal(0f, 1.5f, shape, DataType.FLOAT64);
            // a loss that weighs every output differently
            NDArray weights = m.randomUniform(0.5f, 1.5f, shape, DataType.FLOAT64);
            List<double[]> masked = run(layer, m, x, weights, false);
            List<double[]> blockwise = run(layer, m, x, weights, true);
            SamePass.assertAgree(name + ": block-wise and masked passes", masked, blockwise);
            double moved = 0;
            for (double g : blockwise.get(4)) {
                moved += Math.abs(g);
            }
            assertTrue(moved > 0, name + ": no gradient reaches the first layer");
        }
    }

    @Test
    void affineCouplingsAgreeWithTheMaskedPass() {
        for (int dim : new int[] {20, 21}) {
            for (boolean invert : new boolean[] {false, true}) {
                check("affine d=" + dim + (invert ? " inverted" : ""),
                        () -> AffineCoupling.builder().setDimension(dim).optHiddenSizes(16, 16)
                                .optInvertMask(invert).build(),
                        dim);
            }
        }
    }

    @Test
    void splineCouplingsAgreeWithTheMaskedPass() {
        for (boolean invert : new boolean[] {false, true}) {
            check("spline" + (invert ? " inverted" : ""),
                    () -> RationalQuadraticCoupling.builder().setDimension(17).optBins(4).optHiddenSizes(16)
                            .optInvertMask(invert).build(),
                    17);
        }
    }

    @Test
    void anMlpThatNoLongerEndsInALinearLayerTakesTheMaskedPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            MlpConditioner net = Conditioners.mlp(2 * 20, 16);
            net.add(list -> list);
            assertFalse(net.supportsBlocks());
            CouplingFlow layer = AffineCoupling.builder()
                    .optConditioner(net)
                    .optConditionerPass(CouplingFlow.ConditionerPass.BLOCKWISE)
                    .build();
            NDArray x = m.randomNormal(new Shape(4, 20)).toType(DataType.FLOAT64, false);
            layer.initialize(m, DataType.FLOAT64, x.getShape());
            NDList out = layer.forward(new ParameterStore(m, false), new NDList(x), false);
            NDArray back = layer.inverse(new ParameterStore(m, false), new NDList(out.get(0))).get(0);
            assertTrue(back.sub(x).abs().max().getDouble() < 1e-12, "inverse(forward(x)) != x");
            assertTrue(Conditioners.mlp(8, 4).supportsBlocks());
        }
    }
}
