package io.github.djlflows.core.autoregressive;

import io.github.djlflows.core.InverseFlow;

/**
 * The IAF layer: a {@link MaskedAutoregressiveFlow} with its directions swapped, so sampling is
 * parallel and density evaluation sequential. Generative direction: {@code x_d = z_d *
 * exp(s_d(z_<d)) + t_d(z_<d)}, one MADE pass on the noise; normalizing direction: the MAF's D-pass
 * inverse.
 *
 * <p>Cost: sampling (generative) in one MADE pass, so {@code NormalizingFlow.sampleWithLogProb} is
 * as cheap as sampling; the density of an arbitrary x (normalizing) takes D passes. Analytic in
 * both directions. Shapes: (batch, D), log-det (batch). {@link #inverted()} returns the wrapped MAF
 * layer, which shares its parameters.
 *
 * <p>Reference: Kingma, Salimans, Jozefowicz, Chen, Sutskever and Welling, "Improved Variational
 * Inference with Inverse Autoregressive Flow", NeurIPS 2016.
 *
 * <pre>{@code
 * InverseAutoregressiveFlow layer = InverseAutoregressiveFlow.builder()
 *         .setConditioner(Made.builder().setDimension(2).optHiddenSizes(64, 64))
 *         .build();
 * }</pre>
 */
public class InverseAutoregressiveFlow extends InverseFlow {

    InverseAutoregressiveFlow(Builder builder) {
        super(new MaskedAutoregressiveFlow(builder));
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
     * Returns the wrapped MAF layer (this layer's normalizing direction is its inverse).
     *
     * @return the MAF layer
     */
    public MaskedAutoregressiveFlow getMaskedAutoregressiveFlow() {
        return (MaskedAutoregressiveFlow) getInner();
    }

    /** Builds an {@link InverseAutoregressiveFlow}. */
    public static final class Builder extends MaskedAutoregressiveFlow.AffineBuilder<Builder> {

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
        public InverseAutoregressiveFlow build() {
            validate();
            return new InverseAutoregressiveFlow(this);
        }
    }
}
