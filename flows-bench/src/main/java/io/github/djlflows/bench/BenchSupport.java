package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.djlflows.core.train.FusedAdam;

/**
 * Set-up shared by the benchmarks: offline engine, fixed seed, a model with a DJL {@link Trainer}
 * (Adam, {@link BenchModels#LEARNING_RATE}: flows-core's {@link FusedAdam} or DJL's own).
 */
final class BenchSupport {

    static final int SEED = 42;

    private BenchSupport() {}

    /** Loads the engine offline (natives from the jar) and seeds it. */
    static void startEngine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        Engine.getInstance().setRandomSeed(SEED);
    }

    /**
     * Creates a model holding {@code block} and a trainer initialized for float32 input of the
     * given shape.
     *
     * @param block the block to train
     * @param loss the loss the trainer is configured with (the benchmarks call it directly)
     * @param inputShape the input shape, (batch, dim)
     * @return the trainer; its model is {@code trainer.getModel()}
     */
    static Trainer trainer(Block block, Loss loss, Shape inputShape, String optimizer) {
        Model model = Model.newInstance("bench");
        model.setBlock(block);
        Trainer trainer =
                model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam(optimizer)));
        trainer.initialize(inputShape);
        return trainer;
    }

    /**
     * Adam at {@link BenchModels#LEARNING_RATE}: {@code fused} is flows-core's {@link FusedAdam},
     * {@code djl} DJL's own {@link ai.djl.training.optimizer.Adam}.
     *
     * @param name {@code fused} or {@code djl}
     * @return the optimizer
     */
    static Optimizer adam(String name) {
        switch (name) {
            case "fused":
                return FusedAdam.builder()
                        .optLearningRateTracker(Tracker.fixed(BenchModels.LEARNING_RATE))
                        .build();
            case "djl":
                return Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed(BenchModels.LEARNING_RATE))
                        .build();
            default:
                throw new IllegalArgumentException("optimizer must be fused or djl, got " + name);
        }
    }
}
