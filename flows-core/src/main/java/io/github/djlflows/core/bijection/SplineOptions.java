package io.github.djlflows.core.bijection;

/**
 * The options of a {@link RationalQuadraticSpline} (bins, bound, minimum bin width, height and
 * derivative, tails), shared by every builder of a layer or flow that carries one: the spline
 * couplings, the spline autoregressive layers and the neural spline flow preset each hold one
 * {@link RationalQuadraticSpline.Builder} and these setters write to it, so the options, their
 * defaults and their validation (in the spline's {@code build()}, called by the layer's) live in
 * one place.
 *
 * <pre>{@code
 * RationalQuadraticCoupling layer =
 *         RationalQuadraticCoupling.builder().setDimension(2).optBins(8).optBound(3).build();
 * }</pre>
 *
 * @param <B> the builder type, returned by each setter
 */
public interface SplineOptions<B extends SplineOptions<B>> {

    /**
     * The spline builder these options write to; the layer builds its bijection from it.
     *
     * @return the builder held by this layer builder (not a copy)
     */
    RationalQuadraticSpline.Builder splineBuilder();

    /**
     * Sets the number of bins K. Defaults to 8.
     *
     * @param bins at least 2
     * @return this builder
     */
    default B optBins(int bins) {
        splineBuilder().optBins(bins);
        return self();
    }

    /**
     * Sets the half-width B of the interval the spline acts on; outside it the map is the identity.
     * Defaults to 3 (see {@link RationalQuadraticSpline.Builder#optBound}): meant for standardised
     * data; raise it when the data or earlier layers' outputs spread wider.
     *
     * @param bound positive and finite
     * @return this builder
     */
    default B optBound(double bound) {
        splineBuilder().optBound(bound);
        return self();
    }

    /**
     * Sets the minimum bin width as a fraction of 2B. Defaults to 1e-3.
     *
     * @param minBinWidth positive, with K * minBinWidth &lt; 1
     * @return this builder
     */
    default B optMinBinWidth(double minBinWidth) {
        splineBuilder().optMinBinWidth(minBinWidth);
        return self();
    }

    /**
     * Sets the minimum bin height as a fraction of 2B. Defaults to 1e-3.
     *
     * @param minBinHeight positive, with K * minBinHeight &lt; 1
     * @return this builder
     */
    default B optMinBinHeight(double minBinHeight) {
        splineBuilder().optMinBinHeight(minBinHeight);
        return self();
    }

    /**
     * Sets the minimum interior knot derivative. Defaults to 1e-3.
     *
     * @param minDerivative in (0, 1)
     * @return this builder
     */
    default B optMinDerivative(double minDerivative) {
        splineBuilder().optMinDerivative(minDerivative);
        return self();
    }

    /**
     * Sets the behaviour outside [-B, B]. Defaults to {@link Tails#LINEAR}, the only kind.
     *
     * @param tails the tails
     * @return this builder
     */
    default B optTails(Tails tails) {
        splineBuilder().optTails(tails);
        return self();
    }

    /**
     * Sets every spline option at once, copied from {@code options} (later changes to it do not
     * reach this builder).
     *
     * @param options the options to copy
     * @return this builder
     */
    default B optSpline(RationalQuadraticSpline.Builder options) {
        splineBuilder().copyFrom(options);
        return self();
    }

    /** This builder, typed. */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
