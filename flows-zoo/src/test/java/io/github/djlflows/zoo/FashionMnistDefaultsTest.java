package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code flows train --dataset fashion-mnist} without a config starts from the shipped Glow's
 * recipe: the same model, data splits and optimizer, shorter (3000 steps, a warm-up of 500); the
 * config's {@code learnedPrior} reaches the Glow.
 */
class FashionMnistDefaultsTest {

    @Test
    void trainingOnFashionMnistStartsFromTheShippedGlowRecipe() throws Exception {
        FlowConfig defaults = FlowConfig.forDataset("fashion-mnist");
        FlowConfig shipped = new ZooArtifact("glow", "fashion-mnist").config();
        DigitsLogitTest.assertSameFields(
                shipped,
                defaults,
                "family",
                "eventShape",
                "layers",
                "levels",
                "hiddenChannels",
                "learnedPrior",
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
                "latentTails");
    }

    @Test
    void learnedPriorReachesTheGlow() {
        FlowConfig plain = FlowConfig.forDataset("fashion-mnist");
        FlowConfig prior = FlowConfig.forDataset("fashion-mnist");
        prior.learnedPrior = true;
        java.util.List<String> without = FlowFactory.build(plain).getParameters().keys();
        java.util.List<String> with = FlowFactory.build(prior).getParameters().keys();
        assertTrue(with.containsAll(without), "the learned prior only adds parameters");
        assertTrue(
                with.size() > without.size(),
                without.size() + " parameters, with prior " + with.size());
    }
}
