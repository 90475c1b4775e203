package io.github.djlflows.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Glow;
import io.github.djlflows.core.flows.Maf;
import io.github.djlflows.core.flows.Nsf;
import io.github.djlflows.core.flows.RealNvp;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * N-worker data-parallel training follows the 1-worker loss curve (same seed, same batches) for
 * every family, and is bit-reproducible for a fixed N.
 */
class DataParallelTrainerTest {

    private static final int STEPS = 50;

    /** Relative tolerance on each step's loss: shard reductions round differently than one. */
    private static final double TOLERANCE = 1e-3;

    private static final Shape IMAGE = new Shape(1, 4, 4);

    static Stream<Arguments> families() {
        return Stream.of(
                Arguments.of(
                        "RealNVP",
                        2,
                        (Supplier<FlowBlock>)
                                () ->
                                        RealNvp.builder()
                                                .setDimension(2)
                                                .optCouplings(4)
                                                .optHiddenSizes(16, 16)
                                                .build()),
                Arguments.of(
                        "MAF",
                        2,
                        (Supplier<FlowBlock>)
                                () ->
                                        Maf.builder()
                                                .setDimension(2)
                                                .optLayers(3)
                                                .optHiddenSizes(16, 16)
                                                .build()),
                Arguments.of(
                        "NSF",
                        2,
                        (Supplier<FlowBlock>)
                                () ->
                                        Nsf.builder()
                                                .setDimension(2)
                                                .optTransforms(2)
                                                .optHiddenSizes(16, 16)
                                                .build()),
                Arguments.of(
                        "Glow",
                        0,
                        (Supplier<FlowBlock>)
                                () ->
                                        Glow.builder()
                                                .setInputShape(IMAGE)
                                                .optLevels(1)
                                                .optSteps(2)
                                                .optHiddenChannels(8)
                                                .build()));
    }

    /** The losses of {@code STEPS} steps from seed 11, the batch cycling through fixed data. */
    private static float[] curve(Supplier<FlowBlock> family, int dimension, int workers) {
        return curve(family, dimension, workers, 0);
    }

    /** As above, with batches of {@code rows} rows (0: a quarter of the data). */
    private static float[] curve(Supplier<FlowBlock> family, int dimension, int workers, int rows) {
        Engine.getInstance().setRandomSeed(11);
        try (Model model = Model.newInstance("dp");
                NDManager manager = NDManager.newBaseManager()) {
            NDArray data;
            Shape event;
            if (dimension > 0) {
                data = ToyDensity.TWO_MOONS.sample(manager, 4 * 64, 3);
                event = new Shape(dimension);
            } else {
                data =
                        manager.randomUniform(
                                0, 1, new Shape(4 * 16).addAll(IMAGE), DataType.FLOAT32);
                event = IMAGE;
            }
            model.setBlock(
                    NormalizingFlow.builder()
                            .setFlow(family.get())
                            .setBase(new StandardNormal(event))
                            .build());
            int batch = rows > 0 ? rows : (int) data.getShape().get(0) / 4;
            float[] losses = new float[STEPS];
            try (DataParallelTrainer trainer =
                    DataParallelTrainer.builder()
                            .setModel(model)
                            .optWorkers(workers)
                            .optOptimizer(FusedAdam.builder().build())
                            .build()) {
                for (int s = 0; s < STEPS; s++) {
                    int from = (s % 4) * batch;
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x = data.get(from + ":" + (from + batch));
                        x.attach(step);
                        losses[s] = trainer.step(x);
                    }
                }
            }
            return losses;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void twoWorkersFollowOneWorker(String name, int dimension, Supplier<FlowBlock> family) {
        float[] one = curve(family, dimension, 1);
        float[] two = curve(family, dimension, 2);
        float[] again = curve(family, dimension, 2);
        assertArrayEquals(two, again, name + ": two 2-worker runs from one seed must be identical");
        assertTrue(
                one[STEPS - 1] < one[0],
                name + ": the loss did not fall: " + one[0] + " -> " + one[STEPS - 1]);
        double worst = 0;
        for (int s = 0; s < STEPS; s++) {
            double rel = Math.abs(one[s] - two[s]) / Math.max(1, Math.abs(one[s]));
            worst = Math.max(worst, rel);
            assertEquals(
                    one[s],
                    two[s],
                    TOLERANCE * Math.max(1, Math.abs(one[s])),
                    name + ": step " + s + " loss differs between 1 and 2 workers");
        }
        System.out.printf(
                "%s: 1 vs 2 workers over %d steps, worst relative loss difference %.2e%n",
                name, STEPS, worst);
    }

    @Test
    void threeWorkersOnAnUnevenBatch() {
        Supplier<FlowBlock> family =
                () -> RealNvp.builder().setDimension(2).optCouplings(2).optHiddenSizes(8).build();
        float[] one = curve(family, 2, 1);
        float[] three = curve(family, 2, 3); // 64 rows: shards of 22, 21, 21
        for (int s = 0; s < STEPS; s++) {
            assertEquals(one[s], three[s], TOLERANCE * Math.max(1, Math.abs(one[s])), "step " + s);
        }
    }

    @Test
    void aBatchOfFewerRowsThanWorkersUsesOneWorkerPerRow() {
        Supplier<FlowBlock> family =
                () -> RealNvp.builder().setDimension(2).optCouplings(2).optHiddenSizes(8).build();
        float[] one = curve(family, 2, 1, 3);
        float[] four = curve(family, 2, 4, 3); // 3 rows: 3 of the 4 workers, a row each
        for (int s = 0; s < STEPS; s++) {
            assertEquals(one[s], four[s], TOLERANCE * Math.max(1, Math.abs(one[s])), "step " + s);
        }
    }

    @Test
    void badSettingsAreRejected() {
        try (Model model = Model.newInstance("dp")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> DataParallelTrainer.builder().setModel(model).build());
            assertTrue(e.getMessage().contains("no block"), e.getMessage());
            model.setBlock(
                    NormalizingFlow.builder()
                            .setFlow(RealNvp.builder().setDimension(2).build())
                            .setBase(new StandardNormal(new Shape(2)))
                            .build());
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    DataParallelTrainer.builder()
                                            .setModel(model)
                                            .optWorkers(0)
                                            .build());
            assertTrue(e.getMessage().contains("got 0"), e.getMessage());
            try (DataParallelTrainer trainer =
                            DataParallelTrainer.builder().setModel(model).optWorkers(4).build();
                    NDManager manager = NDManager.newBaseManager()) {
                e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> trainer.step(manager.zeros(new Shape(0, 2))));
                assertTrue(e.getMessage().contains("got none"), e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> DataParallelTrainer.builder().build());
    }

    @Test
    void aNonFiniteShardLossStopsTheStep() {
        try (Model model = Model.newInstance("dp");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(
                    NormalizingFlow.builder()
                            .setFlow(RealNvp.builder().setDimension(2).optCouplings(2).build())
                            .setBase(new StandardNormal(new Shape(2)))
                            .build());
            try (DataParallelTrainer trainer =
                    DataParallelTrainer.builder().setModel(model).optWorkers(2).build()) {
                float[] rows = {0, 0, 0, 0, 0, 0, Float.NaN, 0};
                NDArray x = manager.create(rows, new Shape(4, 2)); // the NaN is in worker 1's shard
                NonFiniteLossException e =
                        assertThrows(NonFiniteLossException.class, () -> trainer.step(x));
                assertTrue(
                        e.getMessage().contains("NaN") && e.getMessage().contains("step 1"),
                        e.getMessage());
                assertEquals(0, trainer.getStepCount());
                float loss = trainer.step(manager.zeros(new Shape(4, 2)));
                assertTrue(
                        Float.isFinite(loss), "a clean batch trains after the failed one: " + loss);
            }
        }
    }
}
