package io.github.djlflows.core.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import org.junit.jupiter.api.Test;

/** RangeTails: the identity on its range, bit for bit; logarithmic tails with the exact log-det. */
class RangeTailsTest {

    private static final double[] LOW = {-1, 0};
    private static final double[] HIGH = {2, 1};
    private static final double[] SCALE = {0.3, 0.1};

    @Test
    void farPointsMoveLogarithmicallyWithTheExactLogDet() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RangeTails tails = RangeTails.of(LOW, HIGH, SCALE);
            tails.initialize(manager, DataType.FLOAT64, new Shape(3, 2));
            NDArray x = manager.create(new double[][] {{1000, 0.5}, {-6, 1.5}, {0, -1e6}});
            ParameterStore ps = new ParameterStore(manager, false);
            NDList out = tails.forward(ps, new NDList(x), false);
            double[] y = out.get(0).toDoubleArray();
            double[] logDet = out.get(1).toDoubleArray();
            double[] want = {
                2 + 0.3 * Math.log1p(998 / 0.3),
                0.5,
                -1 - 0.3 * Math.log1p(5 / 0.3),
                1 + 0.1 * Math.log1p(0.5 / 0.1),
                0,
                -0.1 * Math.log1p(1e6 / 0.1)
            };
            assertArrayEquals(want, y, 1e-9);
            assertArrayEquals(
                    new double[] {
                        -Math.log1p(998 / 0.3),
                        -Math.log1p(5 / 0.3) - Math.log1p(0.5 / 0.1),
                        -Math.log1p(1e6 / 0.1)
                    },
                    logDet,
                    1e-9);
            NDList back = tails.inverse(ps, new NDList(out.get(0)));
            assertArrayEquals(x.toDoubleArray(), back.get(0).toDoubleArray(), 1e-6);
            assertArrayEquals(
                    logDet, back.get(1).neg().toDoubleArray(), 1e-9, "the two log-dets cancel");
        }
    }

    /** In-range rows are unchanged bit for bit, alone or beside far-away rows in their batch. */
    @Test
    void inRangeLogDensitiesAreThoseOfTheFlowWithoutTails() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            FlowSequence inner =
                    RealNvp.builder().setDimension(2).optCouplings(3).optHiddenSizes(8).build();
            NormalizingFlow plain =
                    NormalizingFlow.builder()
                            .setFlow(inner)
                            .setBase(new StandardNormal(new Shape(2)))
                            .build();
            NormalizingFlow tailed =
                    NormalizingFlow.builder()
                            .setFlow(FlowSequence.of(RangeTails.of(LOW, HIGH, SCALE), inner))
                            .setBase(new StandardNormal(new Shape(2)))
                            .build();
            plain.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            tailed.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            randomise(plain, manager);
            float[][] inRange = {{0.1f, 0.2f}, {-1f, 1f}, {2f, 0f}, {1.3f, 0.99f}};
            float[] want = plain.logProb(manager.create(inRange)).toFloatArray();
            assertArrayEquals(want, tailed.logProb(manager.create(inRange)).toFloatArray(), 0f);
            float[][] mixed = {
                inRange[0], {1000f, 0f}, inRange[1], inRange[2], {5f, 5f}, inRange[3]
            };
            float[] got = tailed.logProb(manager.create(mixed)).toFloatArray();
            assertArrayEquals(want, new float[] {got[0], got[2], got[3], got[5]}, 0f);
            assertTrue(Float.isFinite(got[1]) && Float.isFinite(got[4]), got[1] + ", " + got[4]);
        }
    }

    /** Non-zero weights everywhere, so the flow is not the identity. */
    private static void randomise(NormalizingFlow flow, NDManager manager) {
        flow.getParameters()
                .values()
                .forEach(
                        p -> {
                            NDArray a = p.getArray();
                            a.set(
                                    manager.randomNormal(0, 0.3f, a.getShape(), a.getDataType())
                                            .toFloatArray());
                        });
    }

    @Test
    void symmetricRangesAndNamedErrors() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RangeTails tails = RangeTails.symmetric(3, 5, 0.5);
            assertArrayEquals(new double[] {-5, -5, -5}, tails.getLow(), 0);
            assertArrayEquals(new double[] {5, 5, 5}, tails.getHigh(), 0);
            assertArrayEquals(new double[] {0.5, 0.5, 0.5}, tails.getScale(), 0);
            IllegalArgumentException scale =
                    assertThrows(
                            IllegalArgumentException.class, () -> RangeTails.symmetric(2, 5, 0));
            assertTrue(scale.getMessage().contains("scale 0.0"), scale.getMessage());
            IllegalArgumentException range =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    RangeTails.of(
                                            new double[] {1}, new double[] {1}, new double[] {1}));
            assertTrue(range.getMessage().contains("low < high"), range.getMessage());
            RangeTails two = RangeTails.of(LOW, HIGH, SCALE);
            two.initialize(manager, DataType.FLOAT32, new Shape(4, 2));
            IllegalArgumentException shape =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    two.forward(
                                            new ParameterStore(manager, false),
                                            new NDList(manager.ones(new Shape(4, 3))),
                                            false));
            assertTrue(shape.getMessage().contains("(batch, 2)"), shape.getMessage());
            assertEquals(0, two.getParameters().size());
        }
    }
}
