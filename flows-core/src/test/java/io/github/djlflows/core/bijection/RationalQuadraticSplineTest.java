package io.github.djlflows.core.bijection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The spline's math, in float64: identity start, finite differences, monotonicity, hostile inputs.
 */
class RationalQuadraticSplineTest {

    private static final int BINS = 8;
    private static final double BOUND = 3.0;
    private static final RationalQuadraticSpline SPLINE =
            RationalQuadraticSpline.builder().optBins(BINS).optBound(BOUND).build();
    private static final int P = 3 * BINS - 1;

    static void assertFinite(NDArray array, String what) {
        boolean bad = array.isNaN().logicalOr(array.isInfinite()).any().getBoolean();
        assertTrue(!bad, what + " holds NaN or Inf: " + array);
    }

    /** The spline on packed parameters (batch, P, features...), cut as a structure cuts them. */
    private static NDList forward(NDArray x, NDArray params) {
        return SPLINE.forward(
                x, ElementwiseBijection.cut(params, SPLINE.getParameterShapes(), x.getShape()));
    }

    private static NDList inverse(NDArray y, NDArray params) {
        return SPLINE.inverse(
                y, ElementwiseBijection.cut(params, SPLINE.getParameterShapes(), y.getShape()));
    }

    private static double maxAbs(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getDouble();
    }

    /**
     * The worst error of a log-derivative against central differences with step h, measured as |fd
     * - d| / (d + 1e-4): relative where the derivative is large, absolute (about 1e-4 times) where
     * it is tiny and the difference quotient is dominated by rounding (eps |y| / h).
     */
    private static double finiteDifferenceError(
            NDArray plus, NDArray minus, NDArray h, NDArray logDerivative) {
        NDArray numeric = plus.sub(minus).div(h.add(h));
        NDArray analytic = logDerivative.exp();
        return numeric.sub(analytic).abs().div(analytic.add(1e-4)).max().getDouble();
    }

    @Test
    void zeroParametersGiveTheIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.linspace(-6f, 6f, 97).toType(DataType.FLOAT64, false).reshape(97, 1);
            NDList out = forward(x, m.zeros(new Shape(97, P, 1), DataType.FLOAT64));
            assertTrue(maxAbs(out.get(0), x) < 1e-12, "y != x: " + maxAbs(out.get(0), x));
            assertTrue(out.get(1).abs().max().getDouble() < 1e-12, "log-derivative != 0");
        }
    }

    @Test
    void logDerivativeMatchesFiniteDifferencesBothWays() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray params = m.randomNormal(0, 2, new Shape(64, P, 3), DataType.FLOAT64);
            NDArray x =
                    m.randomUniform(
                            (float) (-1.5 * BOUND),
                            (float) (1.5 * BOUND),
                            new Shape(64, 3),
                            DataType.FLOAT64);
            NDArray h = x.onesLike().mul(m.create(1e-6));
            NDList out = forward(x, params);
            NDArray plus = forward(x.add(h), params).get(0);
            NDArray minus = forward(x.sub(h), params).get(0);
            double err = finiteDifferenceError(plus, minus, h, out.get(1));
            assertTrue(err < 1e-5, "forward log-derivative vs finite differences: " + err);

            NDArray y = out.get(0);
            NDList back = inverse(y, params);
            // steps in y shrink where x(y) is steep (dx/dy up to ~1e5), so x(y +- h) stays near x;
            // by sqrt(dx/dy) only, so the rounding of y +- h stays small against h
            h = h.div(back.get(1).exp().maximum(m.create(1.0)).sqrt());
            NDArray inversePlus = inverse(y.add(h), params).get(0);
            NDArray inverseMinus = inverse(y.sub(h), params).get(0);
            double inverseErr = finiteDifferenceError(inversePlus, inverseMinus, h, back.get(1));
            assertTrue(
                    inverseErr < 1e-5,
                    "inverse log-derivative vs finite differences: " + inverseErr);
            assertTrue(
                    maxAbs(back.get(0), x) < 1e-9,
                    "inverse(forward(x)) off by " + maxAbs(back.get(0), x));
            assertTrue(
                    maxAbs(back.get(1), out.get(1).neg()) < 1e-9, "log-derivatives do not cancel");
        }
    }

    @Test
    void monotoneAndFixesTheBounds() {
        Engine.getInstance().setRandomSeed(12);
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 4001;
            NDArray x =
                    m.linspace((float) (-2 * BOUND), (float) (2 * BOUND), n)
                            .toType(DataType.FLOAT64, false);
            x =
                    NDArrays.concat(new NDList(x, m.create(new double[] {-BOUND, BOUND})))
                            .reshape(n + 2, 1);
            NDArray row = m.randomNormal(0, 3, new Shape(1, P, 1), DataType.FLOAT64);
            NDArray params = row.broadcast(new Shape(n + 2, P, 1));
            double[] y = forward(x, params).get(0).toDoubleArray();
            for (int i = 1; i < n; i++) {
                assertTrue(
                        y[i] > y[i - 1],
                        "not increasing at grid point " + i + ": " + y[i - 1] + " >= " + y[i]);
            }
            assertEquals(-BOUND, y[n], 1e-12, "spline(-B) must be -B");
            assertEquals(BOUND, y[n + 1], 1e-12, "spline(B) must be B");
        }
    }

    /**
     * The defining property of the spline: at every knot x_k the derivative is the knot derivative
     * d_k = softplus(raw + ln(e^(1 - min) - 1)) + min (1 at the two ends), both at the knot (bin k,
     * theta = 0) and just below it (bin k - 1, theta -> 1), and the knot maps to y_k. A spline that
     * mixes up d_k and d_k+1, or the x and y knots, is still an invertible monotone map and passes
     * the contract test, but not this one.
     */
    @Test
    void derivativeAtEachKnotIsTheKnotDerivativeFromBothSides() {
        Engine.getInstance().setRandomSeed(13);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray row = m.randomNormal(0f, 1.5f, new Shape(1, P, 1), DataType.FLOAT64);
            double[] knotsX =
                    RationalQuadraticSpline.knots(row.get(":, 0:" + BINS), BOUND, 1e-3)
                            .toDoubleArray();
            double[] knotsY =
                    RationalQuadraticSpline.knots(
                                    row.get(":, " + BINS + ":" + 2 * BINS), BOUND, 1e-3)
                            .toDoubleArray();
            double[] raw = row.get(":, " + 2 * BINS + ":").toDoubleArray();
            double shift = Math.log(Math.expm1(1 - 1e-3));
            double eps = 1e-7;
            double[] at = new double[2 * (BINS + 1)];
            for (int k = 0; k <= BINS; k++) {
                at[2 * k] = knotsX[k];
                at[2 * k + 1] = knotsX[k] - eps;
            }
            NDArray x = m.create(at).reshape(at.length, 1);
            NDList out = forward(x, row.broadcast(new Shape(at.length, P, 1)));
            double[] y = out.get(0).toDoubleArray();
            double[] derivative = out.get(1).exp().toDoubleArray();
            for (int k = 0; k <= BINS; k++) {
                double expected =
                        k == 0 || k == BINS ? 1 : Math.log1p(Math.exp(raw[k - 1] + shift)) + 1e-3;
                assertEquals(knotsY[k], y[2 * k], 1e-12, "knot " + k + " must map to y_k");
                assertEquals(expected, derivative[2 * k], 1e-9, "derivative at knot " + k);
                assertEquals(
                        expected,
                        derivative[2 * k + 1],
                        1e-4 * (1 + expected),
                        "derivative just below knot " + k);
            }
        }
    }

    /**
     * Four parameter rows (moderate random, all +1e3, all -1e3, random ±1e3) shared by every
     * feature; features are the K+1 knots of the row, ±B, ±1e4, ±MIN_VALUE, 0 and ±1e300.
     */
    @Test
    void hostileInputsAndParametersStayFiniteWithFiniteGradients() {
        Engine.getInstance().setRandomSeed(13);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray random = m.randomNormal(0, 1, new Shape(1, P, 1), DataType.FLOAT64);
            NDArray signs = m.randomNormal(0, 1, new Shape(1, P, 1), DataType.FLOAT64).sign();
            NDArray ones = m.ones(new Shape(1, P, 1), DataType.FLOAT64);
            NDArray rows =
                    NDArrays.concat(
                            new NDList(
                                    random,
                                    ones.mul(m.create(1e3)),
                                    ones.mul(m.create(-1e3)),
                                    signs.mul(m.create(1e3))),
                            0);
            // 1e300: theta^2 would overflow to Inf (and Inf/Inf = NaN) if tails reached the spline
            // math
            double[] extra = {
                -BOUND, BOUND, -1e4, 1e4, -Double.MIN_VALUE, Double.MIN_VALUE, 0.0, -1e300, 1e300
            };
            int features = BINS + 1 + extra.length;
            NDArray params = rows.broadcast(new Shape(4, P, features)).duplicate();
            NDArray extras =
                    m.create(extra).reshape(1, extra.length).broadcast(new Shape(4, extra.length));
            NDArray knotsX =
                    RationalQuadraticSpline.knots(rows.get(":, 0:" + BINS), BOUND, 1e-3).squeeze(2);
            NDArray knotsY =
                    RationalQuadraticSpline.knots(
                                    rows.get(":, " + BINS + ":" + 2 * BINS), BOUND, 1e-3)
                            .squeeze(2);
            NDArray x = NDArrays.concat(new NDList(knotsX, extras), 1);
            NDArray y = NDArrays.concat(new NDList(knotsY, extras), 1);
            x.setRequiresGradient(true);
            y.setRequiresGradient(true);
            params.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList forward = forward(x, params);
                NDList inverse = inverse(y, params);
                NDList roundTrip = inverse(forward.get(0), params);
                for (NDArray a :
                        new NDArray[] {
                            forward.get(0), forward.get(1), inverse.get(0), inverse.get(1)
                        }) {
                    assertFinite(a, "spline output or log-derivative");
                }
                NDArray err = roundTrip.get(0).sub(x).abs().div(x.abs().add(1)).max();
                assertTrue(err.getDouble() < 1e-6, "inverse(forward(x)) off by " + err.getDouble());
                // knots map to knots: forward(knotsX) = knotsY
                double knotErr = maxAbs(forward.get(0).get(":, 0:" + (BINS + 1)), knotsY);
                assertTrue(knotErr < 1e-9, "knots of x do not map to knots of y: " + knotErr);
                NDArray tails = forward.get(1).get(":, " + (BINS + 3) + ":" + (BINS + 5));
                assertEquals(
                        0.0,
                        tails.abs().max().getDouble(),
                        0.0,
                        "linear tails have log-derivative 0");
                collector.backward(
                        forward.get(0)
                                .sum()
                                .add(forward.get(1).sum())
                                .add(inverse.get(0).sum())
                                .add(inverse.get(1).sum())
                                .add(roundTrip.get(1).sum()));
            }
            assertFinite(x.getGradient(), "gradient w.r.t. x");
            assertFinite(y.getGradient(), "gradient w.r.t. y");
            assertFinite(params.getGradient(), "gradient w.r.t. the parameters");
            assertTrue(
                    params.getGradient().abs().sum().getDouble() > 0,
                    "no gradient reaches the parameters");
        }
    }

    @Test
    void staticTwinMatchesTheBijection() {
        Engine.getInstance().setRandomSeed(14);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray params = m.randomNormal(0, 1, new Shape(5, P, 2), DataType.FLOAT64);
            NDArray x = m.randomNormal(0, 2, new Shape(5, 2), DataType.FLOAT64);
            NDList twin =
                    RationalQuadraticSpline.rationalQuadraticSpline(
                            x,
                            params.get(":, 0:" + BINS),
                            params.get(":, " + BINS + ":" + 2 * BINS),
                            params.get(":, " + 2 * BINS + ":"),
                            BOUND,
                            false);
            NDList layer = forward(x, params);
            assertEquals(0.0, maxAbs(twin.get(0), layer.get(0)), 0.0);
            assertEquals(0.0, maxAbs(twin.get(1), layer.get(1)), 0.0);
        }
    }

    @Test
    void badShapesAndSettingsAreNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(3, 2), DataType.FLOAT64);
            IllegalArgumentException packed =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> forward(x, m.zeros(new Shape(3, 22, 2), DataType.FLOAT64)));
            assertTrue(
                    packed.getMessage().contains("23")
                            && packed.getMessage().contains("(3, 22, 2)"),
                    packed.getMessage());
            IllegalArgumentException twin =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    RationalQuadraticSpline.rationalQuadraticSpline(
                                            x,
                                            m.zeros(new Shape(3, 4, 2)),
                                            m.zeros(new Shape(3, 4, 2)),
                                            m.zeros(new Shape(3, 4, 2)),
                                            3.0,
                                            false));
            assertTrue(
                    twin.getMessage().contains("(3, 3, 2)")
                            && twin.getMessage().contains("(3, 4, 2)"),
                    twin.getMessage());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> RationalQuadraticSpline.builder().optBins(1).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> RationalQuadraticSpline.builder().optBound(0).build());
        IllegalArgumentException min =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RationalQuadraticSpline.builder()
                                        .optBins(10)
                                        .optMinBinWidth(0.1)
                                        .build());
        assertTrue(
                min.getMessage().contains("0.1") && min.getMessage().contains("10 bins"),
                min.getMessage());
    }
}
