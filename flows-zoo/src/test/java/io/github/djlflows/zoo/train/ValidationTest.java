package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.train.NegativeLogLikelihood;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowFactory;
import org.junit.jupiter.api.Test;

/**
 * A diverging validation NLL stops the run with a message naming the step, the value and the best.
 */
class ValidationTest {

    /** Adds a constant to every weight of the model (a large one wrecks its density). */
    private static void shift(Model model, float offset) {
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray array = p.getValue().getArray();
            array.set(new NDIndex("..."), array.add(offset));
        }
    }

    private static FlowConfig config() {
        FlowConfig config = new FlowConfig();
        config.family = "maf";
        config.layers = 2;
        config.hidden = new int[] {8};
        return config;
    }

    @Test
    void divergingValidationStopsWithItsMessage() {
        Engine.getInstance().setRandomSeed(7);
        FlowConfig config = config();
        try (Model model = Model.newInstance("v");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(FlowFactory.build(config));
            try (Trainer trainer =
                            model.newTrainer(
                                    new DefaultTrainingConfig(new NegativeLogLikelihood()));
                    Validation validation =
                            new Validation(config, ToyDensity.TWO_MOONS.sample(manager, 500, 3))) {
                trainer.initialize(new Shape(8, 2));
                shift(model, 0.05f);
                assertFalse(validation.validate(trainer, 250));
                assertEquals(250, validation.bestStep());
                shift(model, 2f);
                ValidationDivergedException e =
                        assertThrows(
                                ValidationDivergedException.class,
                                () -> validation.validate(trainer, 500));
                String message = e.getMessage();
                assertTrue(message.startsWith("training diverged"), message);
                assertTrue(
                        message.contains("step 500") && message.contains("at step 250"), message);
            }
        }
    }

    @Test
    void smallRiseIsNotDivergence() {
        Engine.getInstance().setRandomSeed(7);
        FlowConfig config = config();
        try (Model model = Model.newInstance("v");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(FlowFactory.build(config));
            try (Trainer trainer =
                            model.newTrainer(
                                    new DefaultTrainingConfig(new NegativeLogLikelihood()));
                    Validation validation =
                            new Validation(config, ToyDensity.TWO_MOONS.sample(manager, 500, 3))) {
                trainer.initialize(new Shape(8, 2));
                shift(model, 0.05f);
                validation.validate(trainer, 250);
                double best = validation.bestValue();
                shift(model, 0.001f);
                assertFalse(validation.validate(trainer, 500));
                assertEquals(best, validation.bestValue(), 0.0);
            }
        }
    }
}
