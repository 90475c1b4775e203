package io.github.djlflows.core.flows;

import io.github.djlflows.core.autoregressive.AutoregressiveFlow;
import io.github.djlflows.core.bijection.DeepSigmoidalBijection;

/**
 * Builds a neural autoregressive flow for vectors: {@link AutoregressiveFlow} layers whose
 * per-feature map is a deep sigmoidal flow ({@link DeepSigmoidalBijection}, a monotonic network of
 * K sigmoid units whose slopes, offsets and weights come from a MADE), with reversed feature orders
 * between them and optional batch-norm flows (see {@link AutoregressiveStackBuilder} for the layout
 * and options; its scale bound does not apply).
 *
 * <p>Cost: density in one MADE pass per layer; sampling in D passes per layer, each inverting the
 * monotonic maps numerically (bisection).
 *
 * <p>Reference: Huang, Krueger, Lacoste and Courville, "Neural Autoregressive Flows", ICML 2018.
 *
 * <pre>{@code
 * FlowSequence flow = Naf.builder(8).setDimension(2).optLayers(3).optHiddenSizes(64, 64).build();
 * }</pre>
 */
public final class Naf {

    /** The default number of sigmoid units per feature. */
    public static final int DEFAULT_UNITS = 8;

    private Naf() {}

    /**
     * Creates a builder of a NAF stack with {@link #DEFAULT_UNITS} sigmoid units per feature.
     *
     * @return a new builder
     */
    public static AutoregressiveStackBuilder builder() {
        return builder(DEFAULT_UNITS);
    }

    /**
     * Creates a builder of a NAF stack.
     *
     * @param units the sigmoid units K per feature of every layer, at least 1
     * @return a new builder
     * @throws IllegalArgumentException for fewer than one unit
     */
    public static AutoregressiveStackBuilder builder(int units) {
        DeepSigmoidalBijection map = new DeepSigmoidalBijection(units);
        return new AutoregressiveStackBuilder(
                (made, bound) -> AutoregressiveFlow.builder(map).setConditioner(made).build(),
                bound -> map);
    }
}
