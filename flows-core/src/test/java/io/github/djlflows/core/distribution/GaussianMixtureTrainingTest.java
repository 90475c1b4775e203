package io.github.djlflows.core.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.Distribution;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.testing.Fitting;
import org.junit.jupiter.api.Test;

/**
 * A mixture base trains with its flow: on eight Gaussians a small RealNVP over an 8-component
 * mixture beats the same RealNVP over a standard normal at the same budget.
 */
class GaussianMixtureTrainingTest {

    private static double fit(Distribution base) {
        NormalizingFlow flow =
                NormalizingFlow.builder()
                        .setFlow(
                                RealNvp.builder()
                                        .setDimension(2)
                                        .optCouplings(2)
                                        .optHiddenSizes(16)
                                        .build())
                        .setBase(base)
                        .build();
        return Fitting.toy(ToyDensity.EIGHT_GAUSSIANS, flow, 10);
    }

    @Test
    void aMixtureBaseFitsSeparatedModesBetter() {
        double mixture = fit(new GaussianMixture(new Shape(2), 8));
        double normal = fit(new io.github.djlflows.core.distribution.StandardNormal(new Shape(2)));
        System.out.printf(
                "eight-gaussians NLL: mixture base %.4f, standard normal %.4f%n", mixture, normal);
        assertTrue(mixture < normal - 1.0, "mixture " + mixture + " vs normal " + normal);
    }
}
