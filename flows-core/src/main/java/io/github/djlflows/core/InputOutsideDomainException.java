package io.github.djlflows.core;

/**
 * Thrown when an input lies outside the domain on which a bijection is defined, for example a
 * negative value given to a logit transform that expects values in (0, 1).
 */
public class InputOutsideDomainException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the expected domain and what came
     */
    public InputOutsideDomainException(String message) {
        super(message);
    }
}
