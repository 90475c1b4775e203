package io.github.djlflows.core.train;

/**
 * Thrown when a training loss becomes NaN or infinite, so training stops instead of silently
 * diverging.
 */
public class NonFiniteLossException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the value and where it happened
     */
    public NonFiniteLossException(String message) {
        super(message);
    }
}
