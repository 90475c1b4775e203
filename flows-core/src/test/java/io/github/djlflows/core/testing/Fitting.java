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
