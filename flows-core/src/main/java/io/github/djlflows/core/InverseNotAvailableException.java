package io.github.djlflows.core;

/**
 * Thrown when a flow layer is asked for a direction it cannot compute, for example the inverse of a
 * layer that has no analytic or numerical inverse.
 */
public class InverseNotAvailableException extends UnsupportedOperationException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was asked and why it is not available
     */
    public InverseNotAvailableException(String message) {
        super(message);
    }
}
