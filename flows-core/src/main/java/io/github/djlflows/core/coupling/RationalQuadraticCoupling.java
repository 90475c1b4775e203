package io.github.djlflows.core.coupling;

import io.github.djlflows.core.bijection.RationalQuadraticSpline;
import io.github.djlflows.core.bijection.SplineOptions;

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

    /**
     * Builds a {@link RationalQuadraticCoupling}; the spline options ({@code optBins}, {@code
     * optBound}, ...) are the shared {@link SplineOptions}.
     */
    public static final class Builder extends BaseBuilder<Builder>
            implements SplineOptions<Builder> {

        private final RationalQuadraticSpline.Builder spline = RationalQuadraticSpline.builder();

        Builder() {}

        /** {@inheritDoc} */
        @Override
        public RationalQuadraticSpline.Builder splineBuilder() {
            return spline;
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
