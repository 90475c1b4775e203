package io.github.djlflows.zoo.train;

import io.github.djlflows.core.train.NonFiniteLossException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Thrown by {@link ArtifactTrainer} when a run stopped on a divergence (its cause: a {@link
 * ValidationDivergedException} or a {@link NonFiniteLossException}) after it saved the best
 * validated weights as a model directory, whose {@code metrics.json} records the stop.
 */
public class DivergedRunException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Path modelDir;

    /**
     * Creates the exception.
     *
     * @param divergence what stopped the run
     * @param kept which weights were saved, e.g. "step 40, validation NLL 2.6380 nats"
     * @param modelDir where they were saved
     */
    public DivergedRunException(IllegalStateException divergence, String kept, Path modelDir) {
        super(
                String.format(
                        Locale.ROOT,
                        "%s%nthe best validated weights (%s) were saved to %s; its metrics.json"
                                + " records the stop",
                        divergence.getMessage(),
                        kept,
                        modelDir),
                divergence);
        this.modelDir = modelDir;
    }

    /**
     * Returns the model directory that holds the best validated weights.
     *
     * @return the directory
     */
    public Path getModelDir() {
        return modelDir;
    }
}
