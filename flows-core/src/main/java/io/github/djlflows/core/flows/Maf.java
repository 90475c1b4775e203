package io.github.djlflows.core.flows;

import io.github.djlflows.core.autoregressive.MaskedAutoregressiveFlow;
import io.github.djlflows.core.bijection.AffineBijection;

/**
 * Builds a masked autoregressive flow for vectors: {@link MaskedAutoregressiveFlow} layers with
 * reversed feature orders between them and optional batch-norm flows (see {@link
 * AutoregressiveStackBuilder} for the layout and options).
 *
 * <p>Cost: density in one MADE pass per layer; sampling in D passes per layer.
 *
 * <p>Reference: Papamakarios, Pavlakou and Murray, "Masked Autoregressive Flow for Density
 * Estimation", NeurIPS 2017.
 *
 * <pre>{@code
 * FlowSequence flow = Maf.builder().setDimension(2).optLayers(5).optHiddenSizes(64, 64).build();
 * }</pre>
 */
public final class Maf {

    private Maf() {}

    /**
     * Creates a builder of a MAF stack.
     *
     * @return a new builder
     */
    public static AutoregressiveStackBuilder builder() {
        return new AutoregressiveStackBuilder(
                (made, bound) ->
                        MaskedAutoregressiveFlow.builder()
                                .setConditioner(made)
                                .optScaleBound(bound)
                                .build(),
                AffineBijection::new);
    }
}
