package io.github.djlflows.core.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.bijection.AffineBijection;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import org.junit.jupiter.api.Test;

/** Points far from the data cost what a Gaussian tail says, not a polynomial of high degree. */
class HostileFarPointsTest {

    private static final double L = AffineBijection.TAIL_BOUND;
    private static final double R = AffineBijection.PARAMETER_RANGE;

    @Test
    void affineMapIsExactBelowItsBoundsAndHasSlopeOneTails() {
        try (NDManager m = NDManager.newBaseManager()) {
            AffineBijection affine = new AffineBijection(3);
            double[] xs = {-0.9 * L, -1, 0, 2.5, 0.9 * L, 1.5 * L, -3 * L, 1e6};
            NDArray x = m.create(xs);
            NDArray shift = m.create(new double[xs.length]).add(0.4 * R);
            NDArray raw = m.create(new double[xs.length]).add(1.5);
            NDList out = affine.forward(x, new NDList(shift, raw));
            double s = 3 * Math.tanh(1.5 / 3);
            double[] y = out.get(0).toDoubleArray();
            double[] logDet = out.get(1).toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                double inside = Math.max(-L, Math.min(L, xs[i]));
                double expected = inside * Math.exp(s) + 0.4 * R + (xs[i] - inside);
                assertEquals(
                        expected, y[i], 1e-9 * Math.max(1, Math.abs(expected)), "y at " + xs[i]);
                assertEquals(Math.abs(xs[i]) <= L ? s : 0, logDet[i], 1e-12, "log-det at " + xs[i]);
            }
            NDList back = affine.inverse(out.get(0), new NDList(shift, raw));
            assertArrayEquals(xs, back.get(0).toDoubleArray(), 1e-9 * 1e6);
            double[] inverseLogDet = back.get(1).toDoubleArray();
            for (int i = 0; i < xs.length; i++) {
                assertEquals(-logDet[i], inverseLogDet[i], 1e-12, "inverse log-det at " + xs[i]);
            }
        }
    }

    @Test
    void parametersFarOutsideTheirRangeGiveTheIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            AffineBijection affine = new AffineBijection(3);
            NDArray x = m.create(new double[] {-5, 0.5, 7});
            NDArray shift = m.create(new double[] {2.5 * R, -10 * R, 1});
            NDArray raw = m.create(new double[] {1, 1, -3 * R});
            NDList out = affine.forward(x, new NDList(shift, raw));
            assertArrayEquals(x.toDoubleArray(), out.get(0).toDoubleArray(), 0);
            assertArrayEquals(new double[3], out.get(1).toDoubleArray(), 0);
        }
    }

    @Test
    void farPointsOfAnExplosiveRealNvpCostAGaussianTail() {
        try (NDManager m = NDManager.newBaseManager()) {
            int couplings = 8;
            double bound = 3;
            NormalizingFlow flow =
                    NormalizingFlow.builder()
                            .setFlow(
                                    RealNvp.builder()
                                            .setDimension(2)
                                            .optCouplings(couplings)
                                            .optHiddenSizes(16, 16)
                                            .optScaleBound(bound)
                                            .build())
                            .setBase(new StandardNormal(new Shape(2)))
                            .build();
            flow.initialize(m, DataType.FLOAT64, new Shape(4, 2));
            // large weights: each conditioner's output grows fast with its input, as a trained
            // model's does off its data
            ai.djl.engine.Engine.getInstance().setRandomSeed(7);
            for (Parameter p : flow.getParameters().values()) {
                NDArray a = p.getArray();
                a.set(m.randomNormal(0, 2, a.getShape(), DataType.FLOAT64).toDoubleArray());
            }
            double[][] points = {{1000, 0}, {0, -1000}, {-700, 700}};
            double[] logProb = flow.logProb(m.create(points)).toDoubleArray();
            for (int i = 0; i < points.length; i++) {
                // each layer moves a coordinate by at most L (exp(B) - 1) + R beyond slope 1, and
                // each log-det is at most B per feature
                double worst = 0;
                for (double c : points[i]) {
                    double far = Math.abs(c) + couplings * (L * (Math.exp(bound) - 1) + R);
                    worst += far * far / 2;
                }
                double floor = -worst - Math.log(2 * Math.PI) - couplings * 2 * bound;
                assertTrue(
                        logProb[i] >= floor,
                        "log p at "
                                + java.util.Arrays.toString(points[i])
                                + " = "
                                + logProb[i]
                                + ", expected at least "
                                + floor);
            }
        }
    }
}
