package io.github.djlflows.core.coupling;

import io.github.djlflows.core.bijection.RationalQuadraticSpline;

/**
 * The rational-quadratic spline coupling of Neural Spline Flows: the transformed features b go
 * through a monotone K-bin spline on [-B, B] (identity outside) whose 3K-1 parameters per feature
 * come from a conditioner on the kept features a (and the context, if any); log-det = sum over b of
 * the spline's log-derivative. See {@link RationalQuadraticSpline} for the math.
 *
 * <p>Shapes: (batch, features) [, context (batch, contextSize)]; the conditioner outputs (batch,
 * (3K-1) * features). The default conditioner's last layer is zero, so a new layer is the identity.
 *
 * <p>Cost: one conditioner pass in each direction (parallel); analytic inverse.
 *
 * <p>Reference: Durkan, Bekasov, Murray and Papamakarios, "Neural Spline Flows", NeurIPS 2019.
 *
 * <pre>{@code
 * RationalQuadraticCoupling layer =
 *         RationalQuadraticCoupling.builder().setDimension(2).optBins(8).optBound(3).build();
 * }</pre>
 */
public class RationalQuadraticCoupling extends CouplingFlow {

    RationalQuadraticCoupling(Builder builder) {
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

    /** Builds a {@link RationalQuadraticCoupling}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private final RationalQuadraticSpline.Builder spline = RationalQuadraticSpline.builder();

        Builder() {}

        /**
         * Sets the number of bins K. Defaults to 8.
         *
         * @param bins at least 2
         * @return this builder
         */
        public Builder optBins(int bins) {
            spline.optBins(bins);
            return this;
        }

        /**
         * Sets the half-width B of the spline's interval; outside it the layer is the identity.
         * Defaults to 3 (see {@link RationalQuadraticSpline.Builder#optBound}): meant for
         * standardised data; raise it when the data or earlier layers' outputs spread wider.
         *
         * @param bound positive
         * @return this builder
         */
        public Builder optBound(double bound) {
            spline.optBound(bound);
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
        public RationalQuadraticCoupling build() {
            bijection = spline.build();
            validate();
            return new RationalQuadraticCoupling(this);
        }
    }
}
