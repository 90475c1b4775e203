package io.github.djlflows.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import org.junit.jupiter.api.Test;

/** sampleWithLogProb's two sources of log-densities. */
class SampleLogProbTest {

    @Test
    void normalizingSourceReturnsLogProbOfTheVerySamples() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            FlowBlock inner =
                    RealNvp.builder().setDimension(3).optCouplings(3).optHiddenSizes(8).build();
            NormalizingFlow exact =
                    NormalizingFlow.builder()
                            .setFlow(inner)
                            .setBase(new StandardNormal(new Shape(3)))
                            .optSampleLogProb(NormalizingFlow.SampleLogProb.NORMALIZING)
                            .build();
            exact.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            randomize(exact, manager);
            NDList drawn = exact.sampleWithLogProb(manager, 64);
            assertArrayEquals(
                    exact.logProb(drawn.get(0)).toFloatArray(), drawn.get(1).toFloatArray(), 0f);
            NormalizingFlow generative =
                    NormalizingFlow.builder().setFlow(inner).setBase(exact.getBase()).build();
            generative.initialize(manager, DataType.FLOAT32, new Shape(1, 3)); // keeps the weights
            assertEquals(NormalizingFlow.SampleLogProb.GENERATIVE, generative.getSampleLogProb());
            NDList fast = generative.sampleWithLogProb(manager, 64);
            assertArrayEquals(
                    exact.logProb(fast.get(0)).toFloatArray(), fast.get(1).toFloatArray(), 1e-4f);
        }
    }

    @Test
    void conditionalDrawsCarryLogProbGivenTheirContextRows() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            for (NormalizingFlow.SampleLogProb source : NormalizingFlow.SampleLogProb.values()) {
                NormalizingFlow flow =
                        NormalizingFlow.builder()
                                .setFlow(
                                        RealNvp.builder()
                                                .setDimension(2)
                                                .optCouplings(2)
                                                .optHiddenSizes(8)
                                                .optContextSize(3)
                                                .build())
                                .setBase(new StandardNormal(new Shape(2)))
                                .optSampleLogProb(source)
                                .build();
                flow.initialize(manager, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 3));
                randomize(flow, manager);
                ai.djl.ndarray.NDArray context = manager.randomNormal(new Shape(32, 3));
                NDList drawn = flow.sampleWithLogProb(context);
                assertEquals(new Shape(32, 2), drawn.get(0).getShape());
                assertArrayEquals(
                        flow.logProb(drawn.get(0), context).toFloatArray(),
                        drawn.get(1).toFloatArray(),
                        source == NormalizingFlow.SampleLogProb.NORMALIZING ? 0f : 1e-4f,
                        source.toString());
            }
        }
    }

    /** Weights from N(0, 0.5^2), so the flow is far from the identity. */
    private static void randomize(NormalizingFlow flow, NDManager manager) {
        flow.getParameters()
                .values()
                .forEach(
                        p ->
                                p.getArray()
                                        .set(
                                                manager.randomNormal(
                                                                0,
                                                                0.5f,
                                                                p.getArray().getShape(),
                                                                DataType.FLOAT32)
                                                        .toFloatArray()));
    }
}
