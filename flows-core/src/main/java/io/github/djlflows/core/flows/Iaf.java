package io.github.djlflows.core.flows;

import io.github.djlflows.core.autoregressive.InverseAutoregressiveFlow;
import io.github.djlflows.core.bijection.AffineBijection;

/**
 * Builds an inverse autoregressive flow for vectors: {@link InverseAutoregressiveFlow} layers with
 * reversed feature orders between them and optional batch-norm flows (see {@link
 * AutoregressiveStackBuilder} for the layout and options).
 *
 * <p>Cost: sampling, and {@code NormalizingFlow.sampleWithLogProb}, in one MADE pass per layer; the
 * density of arbitrary data in D passes per layer.
 *
 * <p>Reference: Kingma et al., "Improved Variational Inference with Inverse Autoregressive Flow",
 * NeurIPS 2016.
 *
 * <pre>{@code
 * FlowSequence flow = Iaf.builder().setDimension(2).optLayers(5).build();
 * }</pre>
 */
public final class Iaf {

    private Iaf() {}

    /**
     * Creates a builder of an IAF stack.
     *
     * @return a new builder
     */
    public static AutoregressiveStackBuilder builder() {
        return new AutoregressiveStackBuilder(
                (made, bound) ->
                        InverseAutoregressiveFlow.builder()
                                .setConditioner(made)
                                .optScaleBound(bound)
                                .build(),
                AffineBijection::new);
    }
}
