package io.github.djlflows.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.train.FlowDatasets;
import io.github.djlflows.core.train.FusedAdam;
import io.github.djlflows.core.train.NegativeLogLikelihood;
import org.junit.jupiter.api.Test;

/** The README's quick start, verbatim, so it keeps compiling and running. */
class ExamplesTest {

    @Test
    void readmeQuickStart() throws Exception {
        // seeded, so the check below does not depend on the tests that ran before in this JVM
        // (unseeded, 10 epochs gave 2.04 nats alone and 2.12 in the suite; seeds 1-3 1.42-1.60)
        Engine.getInstance().setRandomSeed(42);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("moons")) {
            NDArray data = ToyDensity.TWO_MOONS.sample(manager, 20_000, 1L);
            NormalizingFlow flow =
                    NormalizingFlow.builder()
                            .setFlow(RealNvp.builder().setDimension(2).optCouplings(6).build())
                            .setBase(new StandardNormal(new Shape(2)))
                            .build();
            model.setBlock(flow);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new NegativeLogLikelihood())
                            .optOptimizer(
                                    FusedAdam.builder()
                                            .optLearningRateTracker(Tracker.fixed(2e-3f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(256, 2));
                EasyTrain.fit(trainer, 10, FlowDatasets.unlabeled(data, 256, true), null);
            }
            NDArray logProb = flow.logProb(data.get("0:5")); // (5) log-densities in nats
            NDArray samples = flow.sample(manager, 1000); // (1000, 2)

            assertEquals(new Shape(5), logProb.getShape());
            assertEquals(new Shape(1000, 2), samples.getShape());
            double nll =
                    -flow.logProb(ToyDensity.TWO_MOONS.sample(manager, 5000, 2L)).mean().getFloat();
            // an untrained flow scores about 2.8 nats; the NLL target itself is
            // TwoMoonsTrainingTest's
            assertTrue(nll < 1.8, "10 epochs should reach below 1.8 nats, got " + nll);
        }
    }
}
