package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.image.LogitTransform;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A digits config's {@code logit} puts Real NVP's logit pre-processing at the flow's data end, and
 * {@code flows train --dataset digits} starts from the shipped {@code maf/digits} recipe.
 */
class DigitsLogitTest {

    private static FlowConfig digits(boolean logit) throws Exception {
        String json =
                "{\"family\": \"maf\", \"dataset\": \"digits\", \"eventShape\": [64], \"layers\": 2,"
                        + " \"hidden\": [16], \"logit\": "
                        + logit
                        + "}";
        return FlowConfig.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "digits.json");
    }

    private static FlowBlock dataEnd(FlowConfig config) {
        FlowBlock flow = FlowFactory.build(config).getFlow();
        while (flow instanceof FlowSequence) {
            flow = ((FlowSequence) flow).getLayers().get(0);
        }
        return flow;
    }

    @Test
    void logitConfigStartsWithTheLogitTransform() throws Exception {
        FlowConfig config = digits(true);
        config.validateTraining();
        FlowBlock first = dataEnd(config);
        assertTrue(first instanceof LogitTransform, "data end: " + first);
        assertEquals(FlowFactory.LOGIT_ALPHA, ((LogitTransform) first).getAlpha());
        config.dequantization = "variational";
        config.latentTails = true;
        FlowSequence outer = (FlowSequence) FlowFactory.build(config).getFlow();
        FlowBlock afterNoise = outer.getLayers().get(1);
        while (afterNoise instanceof FlowSequence) {
            afterNoise = ((FlowSequence) afterNoise).getLayers().get(0);
        }
        assertTrue(afterNoise instanceof LogitTransform, "after q(u | v): " + afterNoise);
    }

    @Test
    void theConfigsAlphaReachesTheLogitOfDigitsAndImages() throws Exception {
        FlowConfig digits = digits(true);
        digits.logitAlpha = 1e-6;
        assertEquals(1e-6, ((LogitTransform) dataEnd(digits)).getAlpha());
        FlowConfig images = FlowConfig.forDataset("fashion-mnist");
        images.logitAlpha = 1e-3;
        LogitTransform logit = firstLogit(FlowFactory.build(images).getFlow());
        assertEquals(1e-3, logit.getAlpha());
    }

    /** The first LogitTransform of a flow, looking into nested sequences in order. */
    private static LogitTransform firstLogit(FlowBlock flow) {
        if (flow instanceof LogitTransform) {
            return (LogitTransform) flow;
        }
        if (flow instanceof FlowSequence) {
            for (FlowBlock layer : ((FlowSequence) flow).getLayers()) {
                LogitTransform found = firstLogit(layer);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    @Test
    void trainingOnDigitsStartsFromTheShippedMafRecipe() throws Exception {
        FlowConfig defaults = FlowConfig.forDataset("digits");
        FlowConfig shipped = new ZooArtifact("maf", "digits").config();
        assertSameFields(
                shipped,
                defaults,
                "family",
                "layers",
                "hidden",
                "logit",
                "logitAlpha",
                "dequantization",
                "batchSize",
                "learningRate",
                "schedule",
                "steps",
                "weightDecay",
                "emaDecay",
                "eventShape",
                "trainSize",
                "validationSize",
                "heldOutSize",
                "heldOutSeed",
                "latentTails");
    }

    @Test
    void withoutLogitTheFlowHasNone() throws Exception {
        assertFalse(dataEnd(digits(false)) instanceof LogitTransform);
    }

    /** Asserts that the named public fields of two configs hold the same values (as JSON). */
    static void assertSameFields(FlowConfig expected, FlowConfig actual, String... fields)
            throws ReflectiveOperationException {
        for (String field : fields) {
            java.lang.reflect.Field f = FlowConfig.class.getField(field);
            assertEquals(
                    ai.djl.util.JsonUtils.GSON.toJson(f.get(expected)),
                    ai.djl.util.JsonUtils.GSON.toJson(f.get(actual)),
                    field);
        }
    }
}
