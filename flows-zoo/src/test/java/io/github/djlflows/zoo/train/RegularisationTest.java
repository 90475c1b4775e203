package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.optimizer.Optimizer;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's regularisers: {@code weightDecay} reaches the optimizer (AdamW shrinks a weight
 * whose gradient is 0, Adam does not), and {@code emaDecay} makes the moving average of the weights
 * what is validated, kept and saved.
 */
class RegularisationTest {

    private static float afterOneZeroGradientStep(double weightDecay) {
        FlowConfig config = new FlowConfig();
        config.learningRate = 0.1;
        config.schedule = "fixed";
        config.weightDecay = weightDecay;
        Optimizer optimizer = Optimizers.of(config, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {2f});
            optimizer.update("w", weight, manager.zeros(new Shape(1)));
            return weight.getFloat(0);
        }
    }

    @Test
    void weightDecayShrinksTheWeightsTheOptimizerUpdates() {
        assertEquals(2f, afterOneZeroGradientStep(0), 1e-6, "plain Adam moved a weight");
        assertEquals(2f * (1 - 0.1f * 0.5f), afterOneZeroGradientStep(0.5), 1e-6);
    }

    @Test
    void weightAverageFollowsItsFormulaAndSwaps() {
        try (NDManager manager = NDManager.newBaseManager();
                WeightAverage average = new WeightAverage(0.5)) {
            Linear block = Linear.builder().setUnits(1).optBias(false).build();
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1));
            NDArray w = block.getParameters().get(0).getValue().getArray();
            w.set(new ai.djl.ndarray.index.NDIndex("..."), 1f);
            average.step(block); // starts at 1
            double expected = 1;
            for (float next : new float[] {3f, -1f, 5f}) {
                w.set(new ai.djl.ndarray.index.NDIndex("..."), next);
                double beta = average.nextDecay();
                average.step(block);
                expected = beta * expected + (1 - beta) * next;
            }
            assertEquals(4.0 / 13, average.nextDecay(), 1e-12, "β_3 = min(β, (1 + 3) / (10 + 3))");
            average.swap();
            assertEquals(expected, w.getFloat(0), 1e-6, "the swapped-in average");
            average.swap();
            assertEquals(5f, w.getFloat(0), 1e-6, "the weights back");
            average.apply();
            assertEquals(expected, w.getFloat(0), 1e-6);
        }
    }

    @Test
    void emaDecayOutOfRangeIsNamed() {
        FlowConfig config = new FlowConfig();
        config.emaDecay = 1;
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, config::validateTraining);
        assertTrue(e.getMessage().contains("emaDecay must be in [0, 1), got 1.0"), e.getMessage());
        config.emaDecay = 0;
        config.weightDecay = -1;
        e = assertThrows(IllegalArgumentException.class, config::validateTraining);
        assertTrue(e.getMessage().contains("weightDecay must be"), e.getMessage());
    }

    private static FlowConfig tiny(double emaDecay) {
        FlowConfig config = new FlowConfig();
        config.family = "realnvp";
        config.layers = 2;
        config.hidden = new int[] {16};
        config.steps = 40;
        config.batchSize = 32;
        config.trainSize = 256;
        config.heldOutSize = 200;
        config.validationSize = 200;
        config.validateEvery = 10;
        config.patience = 0;
        config.learningRate = 1e-2;
        config.schedule = "fixed";
        config.emaDecay = emaDecay;
        return config;
    }

    @Test
    void theAverageIsWhatIsValidatedKeptAndSaved(@TempDir Path dir) throws Exception {
        FlowMetrics raw = new ArtifactTrainer(tiny(0), dir.resolve("raw")).train();
        FlowConfig config = tiny(0.9);
        Path out = dir.resolve("ema");
        FlowMetrics averaged = new ArtifactTrainer(config, out).train();
        assertNotNull(averaged.bestStep);
        assertTrue(averaged.recipe.contains("moving average of the weights (decay 0.9)"));
        assertFalse(raw.recipe.contains("moving average"), raw.recipe);
        byte[] rawParams = Files.readAllBytes(dir.resolve("raw").resolve("raw-0000.params"));
        byte[] emaParams = Files.readAllBytes(out.resolve("ema-0000.params"));
        assertFalse(
                java.util.Arrays.equals(rawParams, emaParams),
                "the same raw trajectory saved the same weights with and without the average");
        assertFalse(
                Files.readAllLines(dir.resolve("raw").resolve("validation-log.csv"))
                        .equals(Files.readAllLines(out.resolve("validation-log.csv"))),
                "the validations scored the raw weights, not the average");
        assertEquals(
                averaged.bestValidationNll,
                DataParallelValidationTest.savedValidationNll(config, out),
                1e-4,
                "the saved weights are not the best validated average");
    }
}
