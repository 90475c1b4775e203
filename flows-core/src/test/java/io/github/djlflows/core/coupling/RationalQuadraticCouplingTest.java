package io.github.djlflows.core.coupling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.djlflows.core.bijection.RationalQuadraticSpline;
import io.github.djlflows.core.internal.Tensors;
import org.junit.jupiter.api.Test;

/** The spline coupling under hostile inputs and a conditioner with huge raw outputs, in float64. */
class RationalQuadraticCouplingTest {

    private static final int BINS = 4;
    private static final double BOUND = 3.0;

    private static void assertFinite(NDArray array, String what) {
        boolean bad = array.isNaN().logicalOr(array.isInfinite()).any().getBoolean();
        assertTrue(!bad, what + " holds NaN or Inf: " + array);
    }

    /** A linear conditioner scaled by 1e3: raw spline parameters of order ±1e3 and beyond. */
    private static SequentialBlock hugeConditioner(long outputs) {
        SequentialBlock net = new SequentialBlock();
        net.add(Linear.builder().setUnits(outputs).build());
        net.add(list -> new NDList(Tensors.mul(list.singletonOrThrow(), 1e3)));
        return net;
    }

    @Test
    void hostileInputsWithHugeConditionerStayFinite() {
        Engine.getInstance().setRandomSeed(21);
        int dim = 4;
        int p = 3 * BINS - 1;
        try (NDManager m = NDManager.newBaseManager()) {
            RationalQuadraticCoupling layer =
                    RationalQuadraticCoupling.builder()
                            .optBins(BINS)
                            .optBound(BOUND)
                            .optMask(MaskType.ALTERNATING)
                            .optContextSize(2)
                            .optConditioner(
                                    hugeConditioner((long) p * dim / 2)) // the transformed half
                            .build();
            double tiny = Double.MIN_VALUE;
            double[][] rows = {
                {BOUND, -BOUND, BOUND, -BOUND},
                {-1e4, 1e4, 1e4, -1e4},
                {tiny, -tiny, tiny, 0.0},
                {0.3, 2.999999999, -2.999999999, 1.7},
                {1.0, BOUND + 1e-12, 1.0, -BOUND - 1e-12},
                {1.0, -1e300, 0.5, 1e300},
            };
            double[] flat = new double[rows.length * dim];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(rows[i], 0, flat, i * dim, dim);
            }
            NDArray x = m.create(flat, new Shape(rows.length, dim));
            NDArray context = m.randomNormal(0, 1, new Shape(rows.length, 2), DataType.FLOAT64);
            layer.initialize(m, DataType.FLOAT64, x.getShape(), context.getShape());
            ParameterStore ps = new ParameterStore(m, false);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList out = layer.forward(ps, new NDList(x, context), true);
                assertFinite(out.get(0), "z");
                assertFinite(out.get(1), "forward log-det");
                NDList back = layer.inverse(ps, new NDList(out.get(0), context));
                assertFinite(back.get(1), "inverse log-det");
                double err = back.get(0).sub(x).abs().div(x.abs().add(1)).max().getDouble();
                assertTrue(err < 1e-6, "inverse(forward(x)) off by " + err);
                double cancel = back.get(1).add(out.get(1)).abs().max().getDouble();
                assertTrue(cancel < 1e-6, "log-dets do not cancel: " + cancel);
                collector.backward(out.get(0).sum().add(out.get(1).sum()).add(back.get(1).sum()));
            }
            assertFinite(x.getGradient(), "gradient w.r.t. x");
            for (Pair<String, Parameter> parameter : layer.getParameters()) {
                NDArray grad = parameter.getValue().getArray().getGradient();
                assertFinite(grad, "gradient of " + parameter.getKey());
            }
        }
    }

    @Test
    void newLayerIsTheIdentityAndNameRecordsTheSpline() {
        try (NDManager m = NDManager.newBaseManager()) {
            RationalQuadraticCoupling layer =
                    RationalQuadraticCoupling.builder()
                            .setDimension(3)
                            .optBins(5)
                            .optHiddenSizes(8)
                            .build();
            NDArray x = m.randomNormal(0, 3, new Shape(7, 3), DataType.FLOAT64);
            layer.initialize(m, DataType.FLOAT64, x.getShape());
            NDList out = layer.forward(new ParameterStore(m, false), new NDList(x), false);
            assertEquals(0.0, out.get(0).sub(x).abs().max().getDouble(), 1e-12);
            assertEquals(0.0, out.get(1).abs().max().getDouble(), 1e-12);
            RationalQuadraticSpline spline = (RationalQuadraticSpline) layer.getBijection();
            assertEquals(5, spline.getBins());
            assertEquals(3.0, spline.getBound(), "default bound");
            assertEquals(14, spline.getParameterCount());
        }
    }

    @Test
    void badSettingsAreNamed() {
        IllegalArgumentException bins =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RationalQuadraticCoupling.builder()
                                        .setDimension(2)
                                        .optBins(1)
                                        .build());
        assertTrue(
                bins.getMessage().contains("2 bins") && bins.getMessage().contains("1"),
                bins.getMessage());
        IllegalArgumentException bound =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RationalQuadraticCoupling.builder()
                                        .setDimension(2)
                                        .optBound(-1)
                                        .build());
        assertTrue(bound.getMessage().contains("-1.0"), bound.getMessage());
    }
}
