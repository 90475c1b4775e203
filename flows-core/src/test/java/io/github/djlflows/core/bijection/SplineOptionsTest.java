package io.github.djlflows.core.bijection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.autoregressive.AutoregressiveFlow;
import io.github.djlflows.core.autoregressive.Made;
import io.github.djlflows.core.autoregressive.RationalQuadraticAutoregressive;
import io.github.djlflows.core.coupling.CouplingFlow;
import io.github.djlflows.core.coupling.RationalQuadraticCoupling;
import io.github.djlflows.core.flows.Nsf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spline options are one set, shared by the spline coupling, spline AR layer and NSF. */
class SplineOptionsTest {

    private static RationalQuadraticSpline.Builder options() {
        return RationalQuadraticSpline.builder()
                .optBins(5)
                .optBound(2.5)
                .optMinBinWidth(0.01)
                .optMinBinHeight(0.02)
                .optMinDerivative(0.03);
    }

    private static <B extends SplineOptions<B>> B configure(B builder) {
        return builder.optBins(5)
                .optBound(2.5)
                .optMinBinWidth(0.01)
                .optMinBinHeight(0.02)
                .optMinDerivative(0.03)
                .optTails(Tails.LINEAR);
    }

    @Test
    void everyOptionReachesTheLayersOfEachBuilder() {
        String expected = options().build().getName();
        CouplingFlow coupling =
                configure(RationalQuadraticCoupling.builder().setDimension(4)).build();
        assertEquals(expected, coupling.getBijection().getName());
        AutoregressiveFlow ar =
                configure(
                                RationalQuadraticAutoregressive.builder()
                                        .setConditioner(Made.builder().setDimension(4)))
                        .build();
        assertEquals(expected, ar.getBijection().getName());
        for (Nsf.Structure structure : Nsf.Structure.values()) {
            FlowSequence nsf =
                    configure(Nsf.builder().setDimension(4))
                            .optTransforms(2)
                            .optStructure(structure)
                            .build();
            List<String> names = splineNames(nsf);
            assertEquals(2, names.size(), structure + ": " + names);
            names.forEach(name -> assertEquals(expected, name, structure.toString()));
        }
    }

    @Test
    void optSplineCopiesEveryOption() {
        RationalQuadraticSpline.Builder shared = options();
        CouplingFlow coupling =
                RationalQuadraticCoupling.builder().setDimension(4).optSpline(shared).build();
        String expected = options().build().getName();
        assertEquals(expected, coupling.getBijection().getName());
        shared.optBins(7); // a copy: later changes do not reach the builder that took it
        FlowSequence nsf = Nsf.builder().setDimension(4).optSpline(options()).build();
        splineNames(nsf).forEach(name -> assertEquals(expected, name));
    }

    @Test
    void defaultsAreTheSplines() {
        String expected = RationalQuadraticSpline.builder().build().getName();
        assertTrue(expected.contains("bins=8,bound=3.0"), expected);
        assertEquals(
                expected,
                RationalQuadraticCoupling.builder()
                        .setDimension(2)
                        .build()
                        .getBijection()
                        .getName());
        splineNames(Nsf.builder().setDimension(2).build())
                .forEach(name -> assertEquals(expected, name));
    }

    @Test
    void badOptionsFailAtBuildNamingTheValue() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Nsf.builder().setDimension(2).optMinBinWidth(0.2).build());
        assertTrue(
                e.getMessage().contains("0.2") && e.getMessage().contains("8 bins"),
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RationalQuadraticCoupling.builder()
                                        .setDimension(2)
                                        .optBound(-1)
                                        .build());
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RationalQuadraticAutoregressive.builder()
                                .setConditioner(Made.builder().setDimension(2))
                                .optMinDerivative(1.5)
                                .build()
                                .getBijection());
    }

    private static List<String> splineNames(FlowSequence flow) {
        List<String> names = new ArrayList<>();
        for (FlowBlock layer : flow.getLayers()) {
            if (layer instanceof CouplingFlow) {
                names.add(((CouplingFlow) layer).getBijection().getName());
            } else if (layer instanceof AutoregressiveFlow) {
                names.add(((AutoregressiveFlow) layer).getBijection().getName());
            }
        }
        return names;
    }
}
