package io.github.djlflows.core.autoregressive;

import io.github.djlflows.core.bijection.ElementwiseBijection;
import io.github.djlflows.core.bijection.RationalQuadraticSpline;
import io.github.djlflows.core.bijection.SplineOptions;

/**
 * The autoregressive neural spline layer, RQ-NSF(AR): the {@link AutoregressiveFlow} structure with
 * a {@link RationalQuadraticSpline} per feature, whose K widths, K heights and K - 1 derivatives
 * come from a MADE: {@code z_d = RQS(x_d; theta_d(x_<d))}, identity tails outside [-B, B]. A zero
 * MADE output gives the identity.
 *
 * <p>Cost: density (normalizing) in one MADE pass; sampling in D passes, each inverting the splines
 * analytically (a quadratic root per feature).
 *
 * <p>Reference: Durkan, Bekasov, Murray and Papamakarios, "Neural Spline Flows", NeurIPS 2019.
 *
 * <pre>{@code
 * RationalQuadraticAutoregressive layer = RationalQuadraticAutoregressive.builder()
 *         .setConditioner(Made.builder().setDimension(2).optHiddenSizes(64, 64))
 *         .optBins(8)
 *         .build();
 * }</pre>
 */
public class RationalQuadraticAutoregressive extends AutoregressiveFlow {

    RationalQuadraticAutoregressive(Builder builder) {
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
     * Builds a {@link RationalQuadraticAutoregressive}; the spline options ({@code optBins}, {@code
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

        /** {@inheritDoc} */
        @Override
        protected ElementwiseBijection bijection() {
            return spline.build();
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public RationalQuadraticAutoregressive build() {
            checkConditioner();
            return new RationalQuadraticAutoregressive(this);
        }
    }
}
