package io.github.djlflows.zoo.train;

/**
 * Thrown when the validation NLL of a training run is not finite or has risen above its best by
 * more than the config's {@code divergenceNatsPerDim} times the dimension: the run stops (the
 * {@link ArtifactTrainer} then saves its best validated weights and throws a {@link
 * DivergedRunException} caused by this).
 */
public class ValidationDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the step, the value, the best and the threshold
     */
    public ValidationDivergedException(String message) {
        super(message);
    }
}
