package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.elementwise.RangeTails;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.ModelDirectory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latentTailsAfterTraining}: the trainer trains the flow without the latent tails (its
 * checkpoints hold the tail-less model) and the artifact it writes has them, with the trained
 * weights: on every held-out point whose latent lies inside the tails' range the log-density
 * equals, bit for bit, that of a run from the same seed without tails (both runs interrupted and
 * resumed at the same step).
 */
class LatentTailsAfterTrainingTest {

    private static FlowConfig tiny(boolean tails) {
        FlowConfig config = new FlowConfig();
        config.layers = 2;
        config.hidden = new int[] {16, 16};
        config.steps = 40;
        config.batchSize = 64;
        config.trainSize = 2000;
        config.validationSize = 0;
        config.heldOutSize = 500;
        config.latentTails = tails;
        config.latentTailsAfterTraining = tails;
        return config;
    }

    @Test
    void trainsWithoutTheTailsAndShipsThem(@TempDir Path dir) throws Exception {
        FlowConfig plain = tiny(false);
        // both runs stop at step 20 and resume, the same way (a resumed run restarts Adam)
        new ArtifactTrainer(plain, dir.resolve("plain")).optMaxStepsThisRun(20).train();
        new ArtifactTrainer(plain, dir.resolve("plain")).train();
        FlowConfig after = tiny(true);
        Path out = dir.resolve("after");
        assertNull(
                new ArtifactTrainer(after, out)
                        .optCheckpointEvery(10)
                        .optMaxStepsThisRun(20)
                        .train(),
                "stopped at step 20");
        try (Model checkpoint = Model.newInstance("checkpoint")) {
            checkpoint.setBlock(FlowFactory.build(plain)); // the tail-less model loads
            checkpoint.load(out.resolve("checkpoint"), "checkpoint");
        }
        FlowMetrics metrics = new ArtifactTrainer(after, out).train();
        assertNotNull(metrics);
        assertTrue(metrics.recipe.contains("added after training"), metrics.recipe);
        try (Model withTails = ModelDirectory.load(out, null);
                Model without = ModelDirectory.load(dir.resolve("plain"), null);
                NDManager data = NDManager.newBaseManager()) {
            NormalizingFlow tailed = (NormalizingFlow) withTails.getBlock();
            List<FlowBlock> layers = ((FlowSequence) tailed.getFlow()).getLayers();
            assertInstanceOf(RangeTails.class, layers.get(layers.size() - 1));
            NormalizingFlow flow = (NormalizingFlow) without.getBlock();
            NDArray x = FlowData.heldOut(plain, data);
            NDArray z =
                    flow.getFlow()
                            .forward(
                                    new ai.djl.training.ParameterStore(data, false),
                                    new ai.djl.ndarray.NDList(x),
                                    false)
                            .get(0);
            float[] inside =
                    z.abs()
                            .max(new int[] {1})
                            .lte(FlowFactory.LATENT_TAIL_BOUND)
                            .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                            .toFloatArray();
            float[] expected = flow.logProb(x).toFloatArray();
            float[] got = tailed.logProb(x).toFloatArray();
            int compared = 0;
            for (int i = 0; i < got.length; i++) {
                if (inside[i] == 1f) {
                    assertEquals(expected[i], got[i], 0f, "held-out point " + i);
                    compared++;
                }
            }
            assertTrue(compared > got.length / 2, compared + " of " + got.length + " inside");
        }
    }

    @Test
    void aLayoutWithoutTailsAtTheEndIsRefused() {
        FlowConfig config = tiny(true);
        config.standardize = true;
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FlowFactory.withoutLatentTails(config, FlowFactory.build(config)));
        assertTrue(e.getMessage().contains("standardize true"), e.getMessage());
    }
}
