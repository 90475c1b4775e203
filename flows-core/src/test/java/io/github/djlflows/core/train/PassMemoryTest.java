package io.github.djlflows.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Maf;
import io.github.djlflows.core.flows.RealNvp;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Native memory within one pass: a flow's layers (and an autoregressive layer's D sequential
 * passes) free their temporaries as they go, so the batch's manager ends a pass holding a few
 * arrays, not every intermediate of every layer (which on a CPU also means cold memory for every
 * operation).
 */
class PassMemoryTest {

    private static NormalizingFlow flow(FlowBlock layers, long dim, NDManager params) {
        NormalizingFlow flow =
                NormalizingFlow.builder()
                        .setFlow(layers)
                        .setBase(new StandardNormal(new Shape(dim)))
                        .build();
        flow.initialize(params, DataType.FLOAT32, new Shape(32, dim));
        return flow;
    }

    /** Arrays the batch manager gains from one call, and the call's result. */
    private static int growth(NDManager batch, Supplier<NDArray> call) {
        int before = batch.getManagedArrays().size();
        NDArray result = call.get();
        assertTrue(!result.isNaN().any().getBoolean(), "NaN in the result");
        return batch.getManagedArrays().size() - before;
    }

    @Test
    void eightCouplingsEndTheirPassesWithAFewArrays() {
        Engine.getInstance().setRandomSeed(41);
        try (NDManager params = NDManager.newBaseManager();
                NDManager batch = NDManager.newBaseManager()) {
            NormalizingFlow flow =
                    flow(RealNvp.builder().setDimension(6).optCouplings(8).build(), 6, params);
            NDArray x = batch.randomNormal(new Shape(32, 6));
            int logProb = growth(batch, () -> flow.logProb(x));
            int sample = growth(batch, () -> flow.sample(batch, 32));
            // log p: the result and the base density's few temporaries; before the scopes ~150
            assertTrue(logProb <= 12, "logProb left " + logProb + " arrays in the batch's manager");
            assertTrue(sample <= 12, "sample left " + sample + " arrays in the batch's manager");
        }
    }

    @Test
    void sequentialInversePassesFreeTheirTemporariesAndStayExact() {
        Engine.getInstance().setRandomSeed(42);
        try (NDManager params = NDManager.newBaseManager();
                NDManager batch = NDManager.newBaseManager()) {
            int dim = 12;
            NormalizingFlow flow =
                    flow(Maf.builder().setDimension(dim).optLayers(3).build(), dim, params);
            NDArray x = batch.randomNormal(new Shape(32, dim));
            NDArray z =
                    flow.getFlow()
                            .forward(new ParameterStore(batch, false), new NDList(x), false)
                            .get(0);
            int[] count = new int[1];
            NDArray[] back = new NDArray[1];
            count[0] =
                    growth(
                            batch,
                            () -> {
                                back[0] =
                                        flow.getFlow()
                                                .inverse(
                                                        new ParameterStore(batch, false),
                                                        new NDList(z))
                                                .get(0);
                                return back[0];
                            });
            // 3 layers x 12 passes x ~15 temporaries before the scopes
            assertTrue(
                    count[0] <= 12,
                    "the MAF inverse left " + count[0] + " arrays in the batch's manager");
            assertArrayEquals(
                    x.toFloatArray(), back[0].toFloatArray(), 1e-4f, "inverse(forward(x)) != x");
        }
    }
}
