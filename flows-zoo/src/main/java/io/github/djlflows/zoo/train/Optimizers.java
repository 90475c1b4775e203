package io.github.djlflows.zoo.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.djlflows.zoo.FlowConfig;

/**
 * The optimizer a {@link FlowConfig} names, as {@link ArtifactTrainer} applies it: DJL's Adam at
 * the config's learning-rate schedule, or DJL's AdamW (decoupled decay: every weight shrunk by the
 * factor 1 - rate * weightDecay before the Adam step) when {@code weightDecay > 0}. The schedule
 * starts at the steps already done, so a resumed run continues it (Adam's moments start afresh).
 */
final class Optimizers {

    private Optimizers() {}

    /**
     * Builds the optimizer.
     *
     * @param config the recipe
     * @param startStep the steps already done
     * @return the optimizer
     * @throws IllegalArgumentException for an unknown schedule name or out-of-range values
     */
    static Optimizer of(FlowConfig config, int startStep) {
        Tracker rate = config.learningRateSchedule(startStep).toTracker();
        if (config.weightDecay > 0) {
            return Optimizer.adamW()
                    .optLearningRateTracker(rate)
                    .optWeightDecays((float) config.weightDecay)
                    .build();
        }
        return Optimizer.adam().optLearningRateTracker(rate).build();
    }
}
