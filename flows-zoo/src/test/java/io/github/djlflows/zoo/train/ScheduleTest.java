package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import io.github.djlflows.zoo.FlowConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The schedule a config names reaches the trainer's optimizer: with a constant gradient, Adam's
 * bias-corrected step is the learning rate itself (m / sqrt(v) = 1), so the step sizes the
 * optimizer takes read off the rates it sees.
 */
class ScheduleTest {

    private static final double BASE = 2e-3;
    private static final int STEPS = 10;

    private static FlowConfig config(String schedule) {
        FlowConfig config = new FlowConfig();
        config.learningRate = BASE;
        config.steps = STEPS;
        config.schedule = schedule;
        config.warmupSteps = "warmup-cosine".equals(schedule) ? 4 : 0;
        return config;
    }

    /** The step sizes of {@code n} updates of one weight with gradient 1. */
    private static double[] stepSizes(FlowConfig config, int done, int n) {
        Optimizer optimizer = new ArtifactTrainer(config, Path.of("unused")).optimizer(done);
        double[] sizes = new double[n];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.zeros(new Shape(1));
            NDArray grad = manager.ones(new Shape(1));
            double before = 0;
            for (int i = 0; i < n; i++) {
                optimizer.update("w", weight, grad);
                double after = weight.getFloat(0);
                sizes[i] = before - after;
                before = after;
            }
        }
        return sizes;
    }

    private static double cosine(int t, int steps) {
        double fin = BASE / 100;
        return fin + (BASE - fin) * (1 + Math.cos(Math.PI * t / steps)) / 2;
    }

    @Test
    void fixedKeepsTheRate() {
        for (double size : stepSizes(config("fixed"), 0, STEPS)) {
            assertEquals(BASE, size, 1e-6);
        }
    }

    @Test
    void cosineDecaysTheRateTheOptimizerSees() {
        double[] sizes = stepSizes(config("cosine"), 0, STEPS);
        for (int t = 0; t < STEPS; t++) {
            assertEquals(cosine(t, STEPS), sizes[t], 1e-6, "step " + t);
        }
        assertTrue(sizes[STEPS - 1] < BASE / 10, "last step " + sizes[STEPS - 1]);
    }

    @Test
    void warmupRisesThenDecays() {
        double[] sizes = stepSizes(config("warmup-cosine"), 0, STEPS);
        for (int t = 0; t < 4; t++) {
            assertEquals(BASE * (t + 1) / 4, sizes[t], 1e-6, "warm-up step " + t);
        }
        for (int t = 4; t < STEPS; t++) {
            assertEquals(cosine(t - 4, STEPS - 4), sizes[t], 1e-6, "step " + t);
        }
    }

    @Test
    void resumedRunContinuesTheSchedule() {
        double[] sizes = stepSizes(config("cosine"), 6, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(cosine(6 + i, STEPS), sizes[i], 1e-6, "step " + (6 + i));
        }
    }

    @Test
    void unknownScheduleIsNamed() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> stepSizes(config("linear"), 0, 1));
        assertTrue(
                e.getMessage().contains("'linear'") && e.getMessage().contains("warmup-cosine"),
                e.getMessage());
    }
}
