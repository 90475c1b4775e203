package io.github.djlflows.core.testing;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.train.FlowDatasets;
import io.github.djlflows.core.train.NegativeLogLikelihood;
import java.io.IOException;

/** Trains a flow by maximum likelihood with DJL's ordinary {@code EasyTrain.fit}, for tests. */
public final class Fitting {

    private Fitting() {}

    /**
     * Fits {@code model}'s flow to {@code data}.
     *
     * @param model a model whose block is a {@link NormalizingFlow}
     * @param data the training data (n, ...)
     * @param epochs the number of passes over the data
     * @param batchSize the batch size
     * @param learningRate Adam's learning rate
     */
    public static void fit(
            Model model, NDArray data, int epochs, int batchSize, float learningRate) {
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(new NegativeLogLikelihood())
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(learningRate))
                                        .build());
        ArrayDataset dataset = FlowDatasets.unlabeled(data, batchSize, true);
        try (Trainer trainer = model.newTrainer(config)) {
            Shape shape = new Shape(batchSize).addAll(data.getShape().slice(1));
            trainer.initialize(shape);
            EasyTrain.fit(trainer, epochs, dataset, null);
        } catch (IOException | TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Trains a flow on 20 000 two-moons points (seed 1) with {@code EasyTrain.fit}, Adam at a
     * cosine rate from 3e-3 to 3e-4, batch 256, engine seed 42, and returns its NLL on 10 000
     * held-out points (seed 2).
     *
     * @param flow the flow, of dimension 2
     * @param epochs the number of passes over the data
     * @return the held-out NLL in nats
     */
    public static double twoMoons(NormalizingFlow flow, int epochs) {
        return toy(ToyDensity.TWO_MOONS, flow, epochs);
    }

    /**
     * {@link #twoMoons}'s recipe on any toy density.
     *
     * @param density the density
     * @param flow the flow, of dimension 2
     * @param epochs the number of passes over the data
     * @return the held-out NLL in nats
     */
    public static double toy(ToyDensity density, NormalizingFlow flow, int epochs) {
        int batch = 256;
        int size = 20_000;
        ai.djl.engine.Engine.getInstance().setRandomSeed(42);
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager();
                Model model = Model.newInstance("two-moons")) {
            NDArray train = density.sample(manager, size, 1);
            NDArray heldOut = density.sample(manager, 10_000, 2);
            model.setBlock(flow);
            int steps = epochs * (size / batch + 1);
            Tracker cosine =
                    Tracker.cosine()
                            .setBaseValue(3e-3f)
                            .optFinalValue(3e-4f)
                            .setMaxUpdates(steps)
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new NegativeLogLikelihood())
                            .optOptimizer(Optimizer.adam().optLearningRateTracker(cosine).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 2));
                EasyTrain.fit(trainer, epochs, FlowDatasets.unlabeled(train, batch, true), null);
            } catch (IOException | TranslateException e) {
                throw new IllegalStateException(e);
            }
            return nll(flow, heldOut);
        }
    }

    /**
     * The held-out negative log-likelihood in nats.
     *
     * @param flow the trained flow
     * @param data held-out data
     * @return -mean log p(x)
     */
    public static double nll(NormalizingFlow flow, NDArray data) {
        return -flow.logProb(data).mean().getFloat();
    }
}
