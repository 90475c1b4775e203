package io.github.djlflows.core.autoregressive;

import io.github.djlflows.core.bijection.ElementwiseBijection;
import io.github.djlflows.core.bijection.RationalQuadraticSpline;

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

    /** Builds a {@link RationalQuadraticAutoregressive}. */
    public static final class Builder extends BaseBuilder<Builder> {

        private final RationalQuadraticSpline.Builder spline = RationalQuadraticSpline.builder();

        Builder() {}

        /**
         * Sets the number of bins K. Defaults to the spline's default (8).
         *
         * @param bins at least 2
         * @return this builder
         */
        public Builder optBins(int bins) {
            spline.optBins(bins);
            return this;
        }

        /**
         * Sets the half-width B of the spline's interval. Defaults to 3 (the spline's default).
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
