package io.github.djlflows.core.autoregressive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.bijection.AffineBijection;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Iaf;
import io.github.djlflows.core.flows.Maf;
import org.junit.jupiter.api.Test;

/**
 * The javadoc examples of the autoregressive package, verbatim, so they keep compiling and running.
 */
class AutoregressiveExamplesTest {

    @Test
    void javadocExamples() {
        int[] order = Ordering.RANDOM.order(5, 42L);
        float[] mask = {1, 0, 1, 1}; // 2 units x 2 inputs, row-major
        MaskedLinear layer = new MaskedLinear(2, 2, mask, false);
        Made made =
                Made.builder()
                        .setDimension(4)
                        .setParameterCount(2)
                        .optHiddenSizes(64, 64)
                        .optOrdering(Ordering.RANDOM)
                        .optSeed(7)
                        .build();
        AutoregressiveFlow generic =
                AutoregressiveFlow.builder(new AffineBijection(3))
                        .setConditioner(Made.builder().setDimension(4).optHiddenSizes(32, 32))
                        .build();
        MaskedAutoregressiveFlow maf =
                MaskedAutoregressiveFlow.builder()
                        .setConditioner(Made.builder().setDimension(2).optHiddenSizes(64, 64))
                        .build();
        InverseAutoregressiveFlow iaf =
                InverseAutoregressiveFlow.builder()
                        .setConditioner(Made.builder().setDimension(2).optHiddenSizes(64, 64))
                        .build();
        FlowSequence mafStack =
                Maf.builder().setDimension(2).optLayers(5).optHiddenSizes(64, 64).build();
        FlowSequence iafStack = Iaf.builder().setDimension(2).optLayers(5).build();
        FlowSequence withBatchNorm =
                Maf.builder().setDimension(2).optLayers(5).optBatchNorm(true).build();

        assertEquals(5, order.length);
        assertEquals(4, layer.getMask().length);
        assertEquals(4, made.getDimension());
        assertEquals(2, generic.getConditioner().getParameterCount());
        FlowBlock back = iaf.inverted();
        assertEquals(maf.getClass(), back.getClass());
        assertEquals(9, mafStack.getLayers().size());
        assertEquals(13, withBatchNorm.getLayers().size());
        try (NDManager manager = NDManager.newBaseManager()) {
            NormalizingFlow flow =
                    NormalizingFlow.builder()
                            .setFlow(iafStack)
                            .setBase(new StandardNormal(new Shape(2)))
                            .build();
            flow.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(8, 2));
            NDList drawn = flow.sampleWithLogProb(manager, 100); // one MADE pass per layer
            NDArray x = drawn.get(0);
            assertEquals(new Shape(100, 2), x.getShape());
            assertEquals(new Shape(100), drawn.get(1).getShape());
        }
    }
}
