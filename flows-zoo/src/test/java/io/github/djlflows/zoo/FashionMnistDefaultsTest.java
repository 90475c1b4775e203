package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.util.JsonUtils;
import org.junit.jupiter.api.Test;

/**
 * {@code flows train --dataset fashion-mnist} without a config starts from the shipped Glow's
 * recipe: the same model, data splits and optimizer, shorter (3000 steps, a warm-up of 500).
 */
class FashionMnistDefaultsTest {

    @Test
    void trainingOnFashionMnistStartsFromTheShippedGlowRecipe() throws Exception {
        FlowConfig defaults = FlowConfig.forDataset("fashion-mnist");
        FlowConfig shipped = new ZooArtifact("glow", "fashion-mnist").config();
        for (String field :
                new String[] {
                    "family",
                    "eventShape",
                    "layers",
                    "levels",
                    "hiddenChannels",
                    "logit",
                    "logitAlpha",
                    "dequantization",
                    "batchSize",
                    "learningRate",
                    "schedule",
                    "weightDecay",
                    "emaDecay",
                    "trainSize",
                    "validationSize",
                    "validationSeed",
                    "heldOutSize",
                    "heldOutSeed",
                    "latentTails"
                }) {
            java.lang.reflect.Field f = FlowConfig.class.getField(field);
            assertEquals(
                    JsonUtils.GSON.toJson(f.get(shipped)),
                    JsonUtils.GSON.toJson(f.get(defaults)),
                    field);
        }
    }
}
