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

/**
 * Set-up shared by the benchmarks: offline engine, fixed seed, a model with a DJL {@link Trainer}
 * (Adam, {@link BenchModels#LEARNING_RATE}).
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
    static Trainer trainer(Block block, Loss loss, Shape inputShape) {
        Model model = Model.newInstance("bench");
        model.setBlock(block);
        Optimizer adam =
                Optimizer.adam().optLearningRateTracker(Tracker.fixed(BenchModels.LEARNING_RATE)).build();
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam));
        trainer.initialize(inputShape);
        return trainer;
    }
}
