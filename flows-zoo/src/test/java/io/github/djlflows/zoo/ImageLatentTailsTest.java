package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.elementwise.RangeTails;
import io.github.djlflows.core.elementwise.Standardize;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A config's {@code latentTails} puts the tails at the latent end of image flows too. */
class ImageLatentTailsTest {

    private static FlowConfig glow() {
        FlowConfig config = new FlowConfig();
        config.family = "glow";
        config.dataset = "fashion-mnist";
        config.eventShape = new long[] {1, 28, 28};
        config.layers = 1;
        config.levels = 2;
        config.hiddenChannels = 4;
        return config;
    }

    @Test
    void theTailsAreTheLastLayerOfAnImageFlow() {
        FlowConfig config = glow();
        config.latentTails = true;
        NormalizingFlow flow = FlowFactory.build(config);
        List<FlowBlock> layers = ((FlowSequence) flow.getFlow()).getLayers();
        FlowBlock last = last(layers);
        assertTrue(last instanceof RangeTails, "last layer: " + last.getClass().getSimpleName());
        assertEquals(784, ((RangeTails) last).getLow().length);
        config.latentTails = false;
        FlowBlock plain = FlowFactory.build(config).getFlow();
        assertTrue(
                !(plain instanceof FlowSequence)
                        || !(last(((FlowSequence) plain).getLayers()) instanceof RangeTails),
                "tails without latentTails");
    }

    private static FlowBlock last(List<FlowBlock> layers) {
        return layers.get(layers.size() - 1);
    }

    @Test
    void standardisingImagesIsStillRefused() {
        FlowConfig config = glow();
        Standardize standardize = Standardize.of(new double[] {0}, new double[] {1});
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FlowFactory.build(config, standardize));
        assertTrue(e.getMessage().contains(new Shape(1, 28, 28).toString()), e.getMessage());
    }
}
