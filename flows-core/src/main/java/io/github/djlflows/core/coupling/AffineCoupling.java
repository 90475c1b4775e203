package io.github.djlflows.core.coupling;

import ai.djl.util.Preconditions;
import io.github.djlflows.core.bijection.AffineBijection;

/**
 * RealNVP's affine coupling: {@code z_b = x_b * exp(s(x_a)) + t(x_a)} on the transformed features
 * b, identity on the conditioning features a; log-det = sum of s over b. The log-scale is
 * soft-clamped (see {@link AffineBijection}) and the default conditioner's last layer is zero, so a
 * new layer is the identity.
 *
 * <p>Cost: one conditioner pass in each direction; analytic inverse.
 *
 * <p>Reference: Dinh, Sohl-Dickstein and Bengio, "Density estimation using Real NVP", ICLR 2017.
 *
 * <pre>{@code
 * AffineCoupling layer = AffineCoupling.builder().setDimension(2).optHiddenSizes(64, 64).build();
 * }</pre>
 */
public class AffineCoupling extends CouplingFlow {

    AffineCoupling(Builder builder) {
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

    /** Builds an {@link AffineCoupling}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private double scaleBound = 3.0;

        Builder() {}

        /**
         * Sets the bound B on |log-scale|. Defaults to 3.
         *
         * @param scaleBound the bound, positive
         * @return this builder
         */
        public Builder optScaleBound(double scaleBound) {
            this.scaleBound = scaleBound;
            return this;
        }

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
        public AffineCoupling build() {
            Preconditions.checkArgument(
                    scaleBound > 0, "scale bound must be positive, got " + scaleBound);
            bijection = new AffineBijection(scaleBound);
            validate();
            return new AffineCoupling(this);
        }
    }
}
