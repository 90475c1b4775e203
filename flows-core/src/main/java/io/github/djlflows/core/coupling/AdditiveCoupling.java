package io.github.djlflows.core.coupling;

import io.github.djlflows.core.bijection.AdditiveBijection;

/**
 * NICE's additive coupling: {@code z_b = x_b + t(x_a)}, identity on x_a; volume preserving (log-det
 * 0). Pair it with {@link io.github.djlflows.core.elementwise.Scale} to learn volume.
 *
 * <p>Cost: one conditioner pass in each direction; analytic inverse.
 *
 * <p>Reference: Dinh, Krueger and Bengio, "NICE: Non-linear Independent Components Estimation",
 * 2014.
 *
 * <pre>{@code
 * AdditiveCoupling layer = AdditiveCoupling.builder().setDimension(784).optHiddenSizes(1000).build();
 * }</pre>
 */
public class AdditiveCoupling extends CouplingFlow {

    AdditiveCoupling(Builder builder) {
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

    /** Builds an {@link AdditiveCoupling}. */
    public static final class Builder extends BaseBuilder<Builder> {

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
        public AdditiveCoupling build() {
            bijection = new AdditiveBijection();
            validate();
            return new AdditiveCoupling(this);
        }
    }
}
