package io.github.djlflows.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.listener.EarlyStoppingListener.EarlyStoppedException;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * BestValidationListener stops on the best validation score and leaves its weights in the model.
 */
class BestValidationListenerTest {

    private static final int BEST = 3;
    private static final int PATIENCE = 2;

    private static NormalizingFlow flow() {
        return NormalizingFlow.builder()
                .setFlow(
                        RealNvp.builder().setDimension(2).optCouplings(2).optHiddenSizes(8).build())
                .setBase(new StandardNormal(new Shape(2)))
                .build();
    }

    /**
     * A real run through EasyTrain.fit whose validation gets worse after epoch {@link #BEST}: the
     * true validation NLL plus an injected penalty that grows after that epoch. Training must stop
     * {@link #PATIENCE} epochs later, and the model must then hold the weights whose true
     * validation NLL was recorded at the best epoch, not the last epoch's.
     */
    @Test
    void stopsAndKeepsTheBestWeights() throws Exception {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("best")) {
            NDArray train = ToyDensity.TWO_MOONS.sample(manager, 512, 1L);
            NDArray validation = ToyDensity.TWO_MOONS.sample(manager, 256, 2L);
            NegativeLogLikelihood nll = new NegativeLogLikelihood();
            ToDoubleFunction<Trainer> trueNll = BestValidationListener.meanNll(validation, 100);
            List<Double> raw = new ArrayList<>();
            ToDoubleFunction<Trainer> injected =
                    trainer -> {
                        double value = trueNll.applyAsDouble(trainer);
                        raw.add(value);
                        int epoch = raw.size() - 1;
                        return epoch <= BEST ? -10.0 * epoch + value : 100.0 * epoch;
                    };
            BestValidationListener best =
                    BestValidationListener.builder()
                            .setScore(injected)
                            .optPatience(PATIENCE)
                            .build();
            model.setBlock(flow());
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(nll)
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(1e-2f))
                                            .build())
                            .addTrainingListeners(best);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(64, 2));
                EarlyStoppedException stop =
                        assertThrows(
                                EarlyStoppedException.class,
                                () ->
                                        EasyTrain.fit(
                                                trainer,
                                                50,
                                                FlowDatasets.unlabeled(train, 64, true),
                                                null));
                assertEquals(BEST + PATIENCE + 1, stop.getStopEpoch());
                assertTrue(best.isStopped());
                assertEquals(BEST, best.getBestEpoch());
                assertEquals(BEST + PATIENCE + 1, best.getHistory().size());
                double now = trueNll.applyAsDouble(trainer);
                assertEquals(raw.get(BEST), now, 1e-9, "the model holds the best epoch's weights");
                assertFalse(
                        Math.abs(raw.get(raw.size() - 1) - now) < 1e-6,
                        "the last epoch's weights differ from the best ones");
            }
            best.close();
        }
    }

    /**
     * Scores rising from the first call stop after exactly patience calls, scores falling never.
     */
    @Test
    void patienceCountsFromTheBestNotThePrevious() {
        double[] script = {5, 4, 4.5, 4.2, 4.1, 4.05, 3.9};
        int[] call = {0};
        BestValidationListener listener =
                BestValidationListener.builder()
                        .setScore(trainer -> script[call[0]++])
                        .optPatience(4)
                        .optRestoreBest(false)
                        .build();
        // DJL's listener compares with the previous value and would never stop on 4.5, 4.2, 4.1,
        // 4.05: each improves on the one before; from the best (4) they are 4 misses in a row.
        boolean stopped = false;
        for (int i = 0; i < 6 && !stopped; i++) {
            stopped = listenerStep(listener);
        }
        assertTrue(stopped);
        assertEquals(6, call[0]);
        assertEquals(1, listener.getBestEpoch());
        assertEquals(4.0, listener.getBest());
        listener.close();
    }

    private static boolean listenerStep(BestValidationListener listener) {
        try (Model model = Model.newInstance("scripted")) {
            model.setBlock(flow());
            try (Trainer trainer =
                    model.newTrainer(new DefaultTrainingConfig(new NegativeLogLikelihood()))) {
                trainer.initialize(new Shape(1, 2));
                return listener.evaluate(trainer);
            }
        }
    }

    @Test
    void buildRejectsBadSettings() {
        assertThrows(
                IllegalArgumentException.class, () -> BestValidationListener.builder().build());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                BestValidationListener.builder()
                                        .setScore(t -> 0)
                                        .optPatience(0)
                                        .build());
        assertTrue(e.getMessage().contains("patience"), e.getMessage());
    }
}
