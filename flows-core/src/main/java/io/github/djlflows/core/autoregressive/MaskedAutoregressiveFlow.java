package io.github.djlflows.core.autoregressive;

import io.github.djlflows.core.bijection.AffineBijection;
import io.github.djlflows.core.bijection.ElementwiseBijection;

/**
 * The MAF layer: the {@link AutoregressiveFlow} structure with an {@link AffineBijection}, {@code
 * z_d = x_d * exp(s_d(x_<d)) + t_d(x_<d)}, log-det = sum of s; the log-scale is soft-clamped to
 * (-B, B) and the MADE's output layer starts at zero, so a new layer is the identity.
 *
 * <p>Cost: density (normalizing) in one MADE pass; sampling (generative) in D passes. Analytic
 * inverse. Shapes: (batch, D) in both directions, log-det (batch).
 *
 * <p>Reference: Papamakarios, Pavlakou and Murray, "Masked Autoregressive Flow for Density
 * Estimation", NeurIPS 2017.
 *
 * <pre>{@code
 * MaskedAutoregressiveFlow layer = MaskedAutoregressiveFlow.builder()
 *         .setConditioner(Made.builder().setDimension(2).optHiddenSizes(64, 64))
 *         .build();
 * }</pre>
 */
public class MaskedAutoregressiveFlow extends AutoregressiveFlow {

    MaskedAutoregressiveFlow(AffineBuilder<?> builder) {
        super(builder);
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The options of the affine autoregressive presets (MAF and IAF).
     *
     * @param <T> the concrete builder type
     */
    public abstract static class AffineBuilder<T extends AffineBuilder<T>> extends BaseBuilder<T> {

        private double scaleBound = 3.0;

        /**
         * Sets the bound B on |log-scale|. Defaults to 3.
         *
         * @param scaleBound positive
         * @return this builder
         */
        public T optScaleBound(double scaleBound) {
            this.scaleBound = scaleBound;
            return self();
        }

        /** {@inheritDoc} */
        @Override
        protected ElementwiseBijection bijection() {
            return new AffineBijection(scaleBound);
        }

        /** Checks the options; throws {@link IllegalArgumentException} naming the bad one. */
        protected void validate() {
            if (!(scaleBound > 0)) {
                throw new IllegalArgumentException(
                        "scale bound must be positive, got " + scaleBound);
            }
            checkConditioner();
        }
    }

    /** Builds a {@link MaskedAutoregressiveFlow}. */
    public static final class Builder extends AffineBuilder<Builder> {

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public MaskedAutoregressiveFlow build() {
            validate();
            return new MaskedAutoregressiveFlow(this);
        }
    }
}
