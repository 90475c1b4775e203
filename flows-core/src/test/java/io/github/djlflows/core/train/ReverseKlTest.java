package io.github.djlflows.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Iaf;
import io.github.djlflows.core.flows.Maf;
import org.junit.jupiter.api.Test;

/**
 * Variational inference: a flow fitted by the reverse KL to an unnormalised Gaussian target finds
 * its mean, covariance and normalising constant; a conditional flow learns an amortised posterior.
 */
class ReverseKlTest {

    // target: N(m, S) with S = [[2, 1.2], [1.2, 1]], given as exp(-(x - m)' S^-1 (x - m) / 2) only
    private static final double[] MEAN = {1, -2};
    private static final double DET = 2 * 1 - 1.2 * 1.2;
    private static final double[] PRECISION = {1 / DET, -1.2 / DET, 2 / DET}; // (0,0), (0,1), (1,1)

    private static NDArray gaussian(NDArray x) {
        NDArray a = x.get(":, 0").sub(MEAN[0]);
        NDArray b = x.get(":, 1").sub(MEAN[1]);
        return a.square()
                .mul(PRECISION[0])
                .add(a.mul(b).mul(2 * PRECISION[1]))
                .add(b.square().mul(PRECISION[2]))
                .mul(-0.5);
    }

    private static Trainer trainer(Model model, float rate, int steps, Shape... shapes) {
        Tracker cosine =
                Tracker.cosine()
                        .setBaseValue(rate)
                        .optFinalValue(rate / 20)
                        .setMaxUpdates(steps)
                        .build();
        Trainer trainer =
                model.newTrainer(
                        new DefaultTrainingConfig(new NegativeLogLikelihood())
                                .optOptimizer(
                                        Optimizer.adam().optLearningRateTracker(cosine).build()));
        trainer.initialize(shapes);
        return trainer;
    }

    @Test
    void anIafFindsAGaussianTargetAndItsNormalisingConstant() {
        Engine.getInstance().setRandomSeed(7);
        NormalizingFlow q =
                NormalizingFlow.builder()
                        .setFlow(
                                Iaf.builder()
                                        .setDimension(2)
                                        .optLayers(3)
                                        .optHiddenSizes(16)
                                        .build())
                        .setBase(new StandardNormal(new Shape(2)))
                        .build();
        int steps = 800;
        try (Model model = Model.newInstance("vi");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(q);
            try (Trainer trainer = trainer(model, 2e-2f, steps, new Shape(1, 2))) {
                LogDensity target = (x, c) -> gaussian(x);
                for (int i = 0; i < steps; i++) {
                    try (NDManager step = manager.newSubManager();
                            GradientCollector gc = trainer.newGradientCollector()) {
                        gc.backward(ReverseKl.loss(q, target, step, 256));
                    }
                    trainer.step();
                }
                NDList drawn = q.sampleWithLogProb(manager, 20_000);
                NDArray x = drawn.get(0);
                double loss = ReverseKl.loss(q, target, manager, 20_000).getFloat();
                double logZ = Math.log(2 * Math.PI) + 0.5 * Math.log(DET);
                // the loss is KL(q || p) - log Z >= -log Z
                assertEquals(-logZ, loss, 0.03, "the loss at the optimum is -log Z");
                NDArray mean = x.mean(new int[] {0});
                NDArray centred = x.sub(mean);
                double cov01 = centred.get(":, 0").mul(centred.get(":, 1")).mean().getFloat();
                double var0 = centred.get(":, 0").square().mean().getFloat();
                double var1 = centred.get(":, 1").square().mean().getFloat();
                assertEquals(MEAN[0], mean.getFloat(0), 0.06, "mean of x0");
                assertEquals(MEAN[1], mean.getFloat(1), 0.06, "mean of x1");
                assertEquals(2, var0, 0.12, "var of x0");
                assertEquals(1, var1, 0.08, "var of x1");
                assertEquals(1.2, cov01, 0.08, "covariance");
            }
        }
    }

    @Test
    void aConditionalMafLearnsAnAmortisedPosterior() {
        Engine.getInstance().setRandomSeed(11);
        // p(x | c) = N((c, -c), 0.5^2 I): log Z(c) = ln(2 pi) + 2 ln 0.5 for every c
        LogDensity target =
                (x, c) -> {
                    NDArray m = c.concat(c.neg(), 1);
                    return x.sub(m).square().sum(new int[] {1}).mul(-0.5 / 0.25);
                };
        NormalizingFlow q =
                NormalizingFlow.builder()
                        .setFlow(
                                Maf.builder()
                                        .setDimension(2)
                                        .optLayers(2)
                                        .optHiddenSizes(16)
                                        .optContextSize(1)
                                        .build())
                        .setBase(new StandardNormal(new Shape(2)))
                        .build();
        int steps = 600;
        try (Model model = Model.newInstance("amortised");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(q);
            try (Trainer trainer = trainer(model, 1e-2f, steps, new Shape(1, 2), new Shape(1, 1))) {
                for (int i = 0; i < steps; i++) {
                    try (NDManager step = manager.newSubManager();
                            GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray c = step.randomUniform(-2, 2, new Shape(256, 1));
                        gc.backward(ReverseKl.loss(q, target, c));
                    }
                    trainer.step();
                }
                NDArray c = manager.full(new Shape(10_000, 1), 1.5f);
                NDArray x = q.sample(c);
                assertEquals(1.5, x.get(":, 0").mean().getFloat(), 0.05, "posterior mean of x0");
                assertEquals(-1.5, x.get(":, 1").mean().getFloat(), 0.05, "posterior mean of x1");
                double sd = x.get(":, 0").sub(1.5).square().mean().sqrt().getFloat();
                assertEquals(0.5, sd, 0.04, "posterior sd");
                double logZ = Math.log(2 * Math.PI) + 2 * Math.log(0.5);
                double loss = ReverseKl.loss(q, target, c).getFloat();
                assertTrue(loss >= -logZ - 0.02 && loss < -logZ + 0.05, "loss " + loss);
            }
        }
    }

    @Test
    void aTargetOfAnotherShapeOrANonFiniteLossIsRefusedSayingWhy() {
        NormalizingFlow q =
                NormalizingFlow.builder()
                        .setFlow(
                                Iaf.builder()
                                        .setDimension(2)
                                        .optLayers(1)
                                        .optHiddenSizes(4)
                                        .build())
                        .setBase(new StandardNormal(new Shape(2)))
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            q.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 2));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    ReverseKl.loss(
                                            q, (x, c) -> x.sum(new int[] {1}, true), manager, 8));
            assertTrue(
                    e.getMessage().contains("(8)") && e.getMessage().contains("(8, 1)"),
                    e.getMessage());
            // a target with no support where some draws land: log p = -inf there
            NonFiniteLossException nan =
                    assertThrows(
                            NonFiniteLossException.class,
                            () -> ReverseKl.loss(q, (x, c) -> x.get(":, 0").log(), manager, 64));
            assertTrue(nan.getMessage().contains("the target's log-density at"), nan.getMessage());
        }
    }
}
