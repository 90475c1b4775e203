package io.github.djlflows.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Naf;
import io.github.djlflows.core.testing.Fitting;
import org.junit.jupiter.api.Test;

/**
 * A neural autoregressive flow (deep sigmoidal maps) trained on two moons with EasyTrain reaches a
 * held-out NLL of 1.70 nats.
 */
class NafTwoMoonsTest {

    @Test
    void heldOutNllReachesTarget() {
        NormalizingFlow flow =
                NormalizingFlow.builder()
                        .setFlow(
                                Naf.builder(8)
                                        .setDimension(2)
                                        .optLayers(3)
                                        .optHiddenSizes(64, 64)
                                        .build())
                        .setBase(new StandardNormal(new Shape(2)))
                        .build();
        double nll = Fitting.twoMoons(flow, 20);
        System.out.printf("NAF two-moons held-out NLL after 20 epochs: %.4f nats%n", nll);
        assertTrue(nll <= 1.70, "held-out NLL " + nll + " > 1.70");
        assertTrue(
                nll >= 1.0, "held-out NLL " + nll + " is below the data's entropy (~1.12): a bug");
    }
}
