package io.github.djlflows.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FusedAdam follows DJL's Adam step for step, and frees what it allocates. */
class FusedAdamTest {

    private static NormalizingFlow flow() {
        return NormalizingFlow.builder()
                .setFlow(
                        RealNvp.builder()
                                .setDimension(2)
                                .optCouplings(3)
                                .optHiddenSizes(16, 16)
                                .build())
                .setBase(new StandardNormal(new Shape(2)))
                .build();
    }

    /** Trains a fresh flow (seeded) for {@code steps} steps and returns its parameters. */
    private static List<float[]> train(Optimizer optimizer, int steps, List<Integer> arrayCounts) {
        Engine.getInstance().setRandomSeed(11);
        NegativeLogLikelihood nll = new NegativeLogLikelihood();
        try (Model model = Model.newInstance("fused");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(flow());
            try (Trainer trainer =
                    model.newTrainer(new DefaultTrainingConfig(nll).optOptimizer(optimizer))) {
                trainer.initialize(new Shape(128, 2));
                for (int step = 0; step < steps; step++) {
                    try (NDManager batch = data.newSubManager()) {
                        NDArray x = ToyDensity.TWO_MOONS.sample(batch, 128, step);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            collector.backward(nll.evaluate(null, trainer.forward(new NDList(x))));
                        }
                        trainer.step();
                    }
                    if (arrayCounts != null) {
                        arrayCounts.add(model.getNDManager().getManagedArrays().size());
                    }
                }
                List<float[]> values = new ArrayList<>();
                for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                    values.add(p.getValue().getArray().toFloatArray());
                }
                return values;
            }
        }
    }

    private static void assertSameParameters(
            List<float[]> expected, List<float[]> actual, float tolerance) {
        assertEquals(expected.size(), actual.size());
        boolean moved = false;
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), tolerance, "parameter " + i);
        }
        // the comparison is not vacuous: training moved the zero-initialised output layers
        for (float[] p : actual) {
            for (float v : p) {
                moved |= v != 0f;
            }
        }
        assertTrue(moved);
    }

    @Test
    void followsDjlAdamStepForStep() {
        int steps = 40;
        List<float[]> djl =
                train(
                        Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build(),
                        steps,
                        null);
        List<float[]> fused =
                train(
                        FusedAdam.builder().optLearningRateTracker(Tracker.fixed(3e-3f)).build(),
                        steps,
                        null);
        List<float[]> untrained = train(FusedAdam.builder().build(), 0, null);
        assertSameParameters(djl, fused, 2e-5f);
        // and 40 steps of 3e-3 did move the parameters by far more than the tolerance
        float largest = 0;
        for (int i = 0; i < djl.size(); i++) {
            for (int j = 0; j < djl.get(i).length; j++) {
                largest = Math.max(largest, Math.abs(djl.get(i)[j] - untrained.get(i)[j]));
            }
        }
        assertTrue(largest > 0.05f, "largest parameter change " + largest);
    }

    @Test
    void weightDecayAndRescaleMatchDjlAdam() {
        int steps = 15;
        List<float[]> djl =
                train(
                        Optimizer.adam()
                                .optLearningRateTracker(Tracker.fixed(2e-3f))
                                .optWeightDecays(0.1f)
                                .setRescaleGrad(0.5f)
                                .build(),
                        steps,
                        null);
        List<float[]> fused =
                train(
                        FusedAdam.builder()
                                .optLearningRateTracker(Tracker.fixed(2e-3f))
                                .optWeightDecays(0.1f)
                                .setRescaleGrad(0.5f)
                                .build(),
                        steps,
                        null);
        assertSameParameters(djl, fused, 2e-5f);
    }

    @Test
    void oneStepByHandWithSymmetricClipping() {
        try (NDManager manager = NDManager.newBaseManager()) {
            FusedAdam adam =
                    FusedAdam.builder()
                            .optLearningRateTracker(Tracker.fixed(0.1f))
                            .optClipGrad(1f)
                            .build();
            for (int step = 1; step <= 2; step++) {
                NDArray w = manager.create(new float[] {1f, -2f, 3f});
                w.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    // gradient (0.5, -3, 2): clipped to (0.5, -1, 1)
                    collector.backward(w.mul(manager.create(new float[] {0.5f, -3f, 2f})).sum());
                }
                NDArray grad = w.getGradient().duplicate();
                adam.update("w" + step, w, grad);
                // first Adam step: lr * sign(g) up to epsilon
                assertArrayEquals(new float[] {0.9f, -1.9f, 2.9f}, w.toFloatArray(), 1e-5f);
                assertArrayEquals(
                        new float[] {0f, 0f, 0f},
                        w.getGradient().toFloatArray(),
                        0f,
                        "gradient zeroed");
            }
        }
    }

    @Test
    void aChangedParameterSetIsAClearError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            FusedAdam adam = FusedAdam.builder().build();
            NDArray a = manager.ones(new Shape(2));
            NDArray b = manager.ones(new Shape(3));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            adam.update("a", a, manager.ones(new Shape(2)));
            adam.update("b", b, manager.ones(new Shape(3)));
            adam.update("a", a, manager.ones(new Shape(2)));
            IllegalStateException e =
                    assertThrows(
                            IllegalStateException.class,
                            () -> adam.update("c", b, manager.ones(new Shape(3))));
            assertTrue(e.getMessage().contains("expected parameter b"), e.getMessage());
        }
    }

    @Test
    void holdsNoPerStepArrays() {
        List<Integer> counts = new ArrayList<>();
        train(FusedAdam.builder().build(), 300, counts);
        assertEquals(
                counts.get(5),
                counts.get(counts.size() - 1),
                "arrays in the model's manager: " + counts.subList(0, 8));
    }
}
