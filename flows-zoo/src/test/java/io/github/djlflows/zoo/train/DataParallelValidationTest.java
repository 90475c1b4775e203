package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.train.BestValidationListener;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.FlowMetrics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training ({@code optWorkers(2)}) validates as the one-worker loop does: it records
 * the best validated step and saves that step's weights.
 */
class DataParallelValidationTest {

    /**
     * A RealNVP on a handful of two-moons points at a fixed 1e-2, validated every 10 steps: it
     * overfits, and validation turns after a few validations.
     */
    static FlowConfig overfitting() {
        FlowConfig config = new FlowConfig();
        config.family = "realnvp";
        config.dataset = "two-moons";
        config.layers = 4;
        config.hidden = new int[] {64, 64};
        config.steps = 100;
        config.batchSize = 32;
        config.trainSize = 32;
        config.heldOutSize = 500;
        config.validationSize = 300;
        config.validateEvery = 10;
        config.patience = 0;
        config.learningRate = 1e-2;
        config.schedule = "fixed";
        return config;
    }

    @Test
    void twoWorkersKeepTheBestValidatedWeights(@TempDir Path dir) throws Exception {
        FlowConfig config = overfitting();
        config.divergenceNatsPerDim = 1000; // let it overfit without stopping
        Path out = dir.resolve("model");
        FlowMetrics metrics = new ArtifactTrainer(config, out).optWorkers(2).train();
        assertNotNull(metrics.bestStep, "the data-parallel run recorded no validation");
        assertTrue(
                metrics.bestStep % 10 == 0 && metrics.bestStep < config.steps,
                "expected an early best validated step (the run overfits), got "
                        + metrics.bestStep);
        java.util.List<String> log =
                java.nio.file.Files.readAllLines(out.resolve("validation-log.csv"));
        assertEquals("step,validation_nll", log.get(0));
        assertEquals(
                config.steps / config.validateEvery, log.size() - 1, "one line per validation");
        String bestLine =
                log.stream()
                        .skip(1)
                        .min(
                                java.util.Comparator.comparingDouble(
                                        l -> Double.parseDouble(l.split(",")[1])))
                        .orElseThrow();
        assertEquals(
                metrics.bestStep, Integer.parseInt(bestLine.split(",")[0]), String.join("\n", log));
        assertEquals(
                metrics.bestValidationNll,
                savedValidationNll(config, out),
                1e-4,
                "the saved weights are not the best");
    }

    /** The validation NLL of the weights a trainer saved in {@code out}. */
    static double savedValidationNll(FlowConfig config, Path out) throws Exception {
        String name = out.getFileName().toString();
        try (Model model = Model.newInstance(name);
                NDManager data = NDManager.newBaseManager()) {
            NormalizingFlow flow = FlowFactory.build(config);
            model.setBlock(flow);
            model.load(out, name);
            return BestValidationListener.meanNll(flow, FlowData.validation(config, data), 1000);
        }
    }
}
