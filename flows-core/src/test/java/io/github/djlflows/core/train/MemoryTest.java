package io.github.djlflows.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.DiagonalNormal;
import io.github.djlflows.core.elementwise.BatchNormFlow;
import io.github.djlflows.core.elementwise.ElementwiseAffine;
import io.github.djlflows.core.elementwise.RandomPermutation;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.residual.PlanarFlow;
import io.github.djlflows.core.residual.RadialFlow;
import org.junit.jupiter.api.Test;

/** Native memory: no per-step arrays accumulate in the model's manager. */
class MemoryTest {

    private static NormalizingFlow everyCoreLayer() {
        FlowSequence flow =
                FlowSequence.of(
                        RealNvp.builder()
                                .setDimension(2)
                                .optCouplings(2)
                                .optHiddenSizes(16)
                                .build(),
                        BatchNormFlow.builder().build(),
                        new RandomPermutation(3),
                        ElementwiseAffine.builder().build(),
                        new PlanarFlow(),
                        new RadialFlow());
        return NormalizingFlow.builder()
                .setFlow(flow)
                .setBase(new DiagonalNormal(new Shape(2)))
                .build();
    }

    @Test
    void cappedParameterManagerCatchesStrayAttachments() {
        Engine.getInstance().setRandomSeed(5);
        NormalizingFlow flow = everyCoreLayer();
        try (NDManager params = NDManager.newBaseManager()) {
            flow.initialize(params, DataType.FLOAT32, new Shape(64, 2));
            params.cap();
            for (int step = 0; step < 20; step++) {
                try (NDManager batch = NDManager.newBaseManager()) {
                    NDArray x = ToyDensity.TWO_MOONS.sample(batch, 64, step);
                    ParameterStore ps = new ParameterStore(batch, false);
                    try (GradientCollector collector =
                            Engine.getInstance().newGradientCollector()) {
                        NDList out = flow.forward(ps, new NDList(x), true);
                        collector.backward(out.get(2).mean().neg());
                    }
                    flow.logProb(x);
                    flow.sample(batch, 8);
                    flow.sample(batch, 8, 1L);
                    flow.sampleWithLogProb(batch, 8);
                    flow.decode(flow.encode(x));
                }
            }
            // the cap is real: attaching to it throws
            assertThrows(IllegalStateException.class, () -> params.create(1f));
        }
    }

    @Test
    void twoThousandTrainingStepsLeaveNoArraysBehind() throws Exception {
        Engine.getInstance().setRandomSeed(6);
        try (Model model = Model.newInstance("leak");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(everyCoreLayer());
            NDArray train = ToyDensity.TWO_MOONS.sample(data, 4096, 1);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new NegativeLogLikelihood())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(1e-3f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(64, 2));
                int warmUp = 5;
                int steps = 2000;
                int before = -1;
                for (int step = 0; step < warmUp + steps; step++) {
                    if (step == warmUp) {
                        before = model.getNDManager().getManagedArrays().size();
                    }
                    try (NDManager batchManager = data.newSubManager()) {
                        long start = (step * 64L) % 4032;
                        NDArray x = train.get(start + ":" + (start + 64));
                        x.attach(batchManager);
                        NDArray label = batchManager.zeros(new Shape(64));
                        Batch batch =
                                new Batch(
                                        batchManager,
                                        new NDList(x),
                                        new NDList(label),
                                        1,
                                        null,
                                        null,
                                        step,
                                        1);
                        EasyTrain.trainBatch(trainer, batch);
                        trainer.step();
                    }
                }
                int after = model.getNDManager().getManagedArrays().size();
                System.out.printf(
                        "arrays in the model's manager: %d after warm-up, %d after %d steps%n",
                        before, after, steps);
                assertEquals(before, after, "arrays accumulated in the model's manager");
            }
        }
    }
}
