package io.github.djlflows.core.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Glow;
import io.github.djlflows.core.flows.Maf;
import io.github.djlflows.core.flows.RealNvp;
import org.junit.jupiter.api.Test;

/** The concurrent scorer returns, in row order, what one predictor and the flow's sample give. */
class ConcurrentFlowScorerTest {

    private static Model model(FlowBlock block, Shape event) {
        Model model = Model.newInstance("scorer");
        NormalizingFlow flow =
                NormalizingFlow.builder().setFlow(block).setBase(new StandardNormal(event)).build();
        model.setBlock(flow);
        flow.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(event));
        return model;
    }

    private static void check(Model model, Shape event, int rows, int workers) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                ConcurrentFlowScorer scorer =
                        ConcurrentFlowScorer.builder().setModel(model).optWorkers(workers).build();
                Predictor<NDList, NDList> one = model.newPredictor(new NoopTranslator())) {
            NDArray x = manager.randomNormal(new Shape(rows).addAll(event));
            float[] expected = one.predict(new NDList(x)).get(2).toFloatArray();
            float[] got = scorer.logProb(x);
            assertEquals(rows, got.length);
            assertArrayEquals(
                    expected,
                    got,
                    1e-5f,
                    "logProb with " + workers + " workers, " + rows + " rows");
            NormalizingFlow flow = (NormalizingFlow) model.getBlock();
            float[] single = flow.sample(manager, rows, 0.8, 5L).toFloatArray();
            NDArray samples = scorer.sample(manager, rows, 0.8, 5L);
            assertEquals(new Shape(rows).addAll(event), samples.getShape());
            assertArrayEquals(
                    single, samples.toFloatArray(), 1e-5f, "samples with " + workers + " workers");
        }
    }

    @Test
    void tabularRowsComeBackInOrder() throws Exception {
        Engine.getInstance().setRandomSeed(3);
        Shape event = new Shape(3);
        try (Model realNvp =
                        model(RealNvp.builder().setDimension(3).optCouplings(4).build(), event);
                Model maf = model(Maf.builder().setDimension(3).optLayers(2).build(), event)) {
            check(realNvp, event, 257, 2);
            check(realNvp, event, 100, 3);
            check(realNvp, event, 1, 2); // fewer rows than workers
            check(maf, event, 64, 2);
        }
    }

    @Test
    void imagesComeBackInOrder() throws Exception {
        Engine.getInstance().setRandomSeed(4);
        Shape event = new Shape(1, 4, 4);
        try (Model glow =
                model(
                        Glow.builder()
                                .setInputShape(event)
                                .optLevels(1)
                                .optSteps(2)
                                .optHiddenChannels(8)
                                .build(),
                        event)) {
            check(glow, event, 33, 2);
        }
    }

    @Test
    void badSettingsAreRejected() {
        try (Model empty = Model.newInstance("scorer")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ConcurrentFlowScorer.builder().setModel(empty).build());
            assertTrue(e.getMessage().contains("NormalizingFlow, got none"), e.getMessage());
        }
        try (Model model = model(RealNvp.builder().setDimension(2).build(), new Shape(2))) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    ConcurrentFlowScorer.builder()
                                            .setModel(model)
                                            .optWorkers(0)
                                            .build());
            assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        }
    }
}
