package io.github.djlflows.core.autoregressive;

import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Iaf;
import io.github.djlflows.core.flows.Maf;
import org.junit.jupiter.api.Test;

/**
 * No autoregressive op lands in the parameters' manager: it is capped, so a stray attach throws.
 */
class AutoregressiveMemoryTest {

    @Test
    void cappedParameterManagerCatchesStrayAttachments() {
        Engine.getInstance().setRandomSeed(9);
        FlowSequence layers =
                FlowSequence.of(
                        Maf.builder()
                                .setDimension(3)
                                .optLayers(2)
                                .optHiddenSizes(8)
                                .optBatchNorm(true)
                                .optResidualBlocks(1)
                                .optContextSize(2)
                                .build(),
                        Iaf.builder()
                                .setDimension(3)
                                .optLayers(2)
                                .optHiddenSizes(8)
                                .optContextSize(2)
                                .build());
        NormalizingFlow flow =
                NormalizingFlow.builder()
                        .setFlow(layers)
                        .setBase(new StandardNormal(new Shape(3)))
                        .build();
        try (NDManager params = NDManager.newBaseManager()) {
            flow.initialize(params, DataType.FLOAT32, new Shape(16, 3), new Shape(16, 2));
            params.cap();
            for (int step = 0; step < 5; step++) {
                try (NDManager batch = NDManager.newBaseManager()) {
                    NDArray x = batch.randomNormal(new Shape(16, 3));
                    NDArray context = batch.randomNormal(new Shape(16, 2));
                    ParameterStore ps = new ParameterStore(batch, false);
                    try (GradientCollector collector =
                            Engine.getInstance().newGradientCollector()) {
                        NDList out = flow.forward(ps, new NDList(x, context), true);
                        collector.backward(out.get(2).mean().neg());
                    }
                    flow.logProb(x, context);
                    flow.sample(context);
                    layers.inverse(ps, new NDList(x, context));
                }
            }
            assertThrows(IllegalStateException.class, () -> params.create(1f));
        }
    }
}
