package io.github.djlflows.core.bijection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The deep sigmoidal map against closed forms: the identity at zero parameters, finite values far
 * into the tails, an inverse exact to float64 there, and the implicit gradient of the inverse.
 */
class DeepSigmoidalBijectionTest {

    private static final int K = 4;
    private static final DeepSigmoidalBijection MAP = new DeepSigmoidalBijection(K);

    private static NDList params(NDManager manager, long batch, long features, double sd) {
        Shape group = new Shape(batch, K, features);
        return new NDList(
                manager.randomNormal(0, (float) sd, group, DataType.FLOAT64),
                manager.randomNormal(0, (float) (3 * sd), group, DataType.FLOAT64),
                manager.randomNormal(0, (float) sd, group, DataType.FLOAT64));
    }

    @Test
    void zeroParametersGiveTheIdentity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x =
                    manager.linspace(-20f, 20f, 41).reshape(41, 1).toType(DataType.FLOAT64, false);
            NDArray zero = manager.zeros(new Shape(41, K, 1), DataType.FLOAT64);
            NDList out = MAP.forward(x, new NDList(zero, zero, zero));
            assertEquals(0, out.get(0).sub(x).abs().max().getDouble(), 1e-9);
            assertEquals(0, out.get(1).abs().max().getDouble(), 1e-9);
        }
    }

    @Test
    void farTailsStayFiniteAndInvertToFloat64() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(0, 30, new Shape(500, 3), DataType.FLOAT64);
            NDList p = params(manager, 500, 3, 1.5);
            NDList out = MAP.forward(x, p);
            assertTrue(!out.get(0).isInfinite().any().getBoolean(), "y finite");
            assertTrue(!out.get(1).isInfinite().any().getBoolean(), "log-det finite");
            NDList back = MAP.inverse(out.get(0), p);
            double error = back.get(0).sub(x).abs().div(x.abs().add(1)).max().getDouble();
            assertTrue(error < 1e-10, "inverse relative error " + error);
            assertEquals(
                    0,
                    back.get(1).add(out.get(1)).abs().max().getDouble(),
                    1e-8,
                    "log-dets cancel");
            NDArray far = manager.create(new float[] {-1e4f, 1e4f}).reshape(2, 1);
            NDArray zero = manager.zeros(new Shape(2, K, 1));
            NDList tails = MAP.forward(far, new NDList(zero.add(2), zero, zero));
            assertTrue(
                    !tails.get(1).isInfinite().any().getBoolean()
                            && !tails.get(1).isNaN().any().getBoolean(),
                    "float32 log-det at 1e4: " + tails.get(1));
        }
    }

    @Test
    void theInverseCarriesTheImplicitGradient() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray y = manager.randomNormal(0, 2, new Shape(6, 2), DataType.FLOAT64);
            NDList p = params(manager, 6, 2, 0.8);
            NDArray offsets = p.get(1);
            offsets.setRequiresGradient(true);
            NDArray grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = MAP.inverse(y, new NDList(p.get(0), offsets, p.get(2))).get(0);
                gc.backward(x.sum());
                grad = offsets.getGradient().duplicate();
            }
            // central differences of the inverse in one offset of each row
            double h = 1e-6;
            double[] analytic = grad.toDoubleArray();
            for (int unit = 0; unit < K; unit++) {
                NDArray bump = manager.zeros(offsets.getShape(), DataType.FLOAT64);
                bump.set(new ai.djl.ndarray.index.NDIndex(":, {}, 0", unit), h);
                NDArray plus =
                        MAP.inverse(y, new NDList(p.get(0), offsets.add(bump), p.get(2))).get(0);
                NDArray minus =
                        MAP.inverse(y, new NDList(p.get(0), offsets.sub(bump), p.get(2))).get(0);
                double[] numeric = plus.sub(minus).div(2 * h).get(":, 0").toDoubleArray();
                for (int row = 0; row < 6; row++) {
                    double a = analytic[(row * K + unit) * 2];
                    assertEquals(
                            numeric[row],
                            a,
                            1e-6 + 1e-4 * Math.abs(a),
                            "row " + row + " unit " + unit);
                }
            }
        }
    }
}
