package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.internal.Tensors;
import java.util.Locale;

/**
 * The monotone rational-quadratic spline of Neural Spline Flows: K bins on [-B, B], each mapped by
 * a ratio of two quadratics, with the identity outside [-B, B] ({@link Tails#LINEAR}).
 *
 * <p>Inside bin k, with knots (x_k, y_k), width w_k, height h_k, slope s_k = h_k / w_k, knot
 * derivatives d_k, d_{k+1} and θ = (x - x_k) / w_k:
 *
 * <pre>
 * y      = y_k + h_k (s_k θ² + d_k θ(1-θ)) / (s_k + (d_{k+1} + d_k - 2 s_k) θ(1-θ))
 * dy/dx  = s_k² (d_{k+1} θ² + 2 s_k θ(1-θ) + d_k (1-θ)²) / (s_k + (d_{k+1} + d_k - 2 s_k) θ(1-θ))²
 * </pre>
 *
 * The inverse solves the quadratic a θ² + b θ + c = 0 in its cancellation-free form θ = 2c / (-b -
 * sqrt(b² - 4ac)), with the discriminant clamped at 0 (nflows issue #87).
 *
 * <p>Parameters per feature, P = 3K - 1, in this order along the parameter axis: K unnormalised
 * widths, K unnormalised heights (each through a softmax, then floored at the minimum bin size, so
 * knots span [-B, B] exactly) and K - 1 unnormalised interior derivatives (through a softplus
 * shifted so that 0 gives derivative 1, then floored at the minimum derivative). The boundary
 * derivatives are 1 for continuous linear tails. A zero conditioner output is therefore the
 * identity: equal bins and unit derivatives.
 *
 * <p>Shapes: {@code x} (batch, features...), params (batch, 3K-1, features...); output and
 * log-derivative shaped like {@code x}. Cost: O(K) elementwise work per feature in each direction
 * (vectorised bin search by comparison and sum, then one gather along the bin axis), in a fixed
 * number of native calls whatever K; the inverse is analytic. Inputs outside [-B, B] are replaced
 * by 0 before the spline math and the identity is selected for them, so neither values nor
 * gradients of the unused branch can be NaN.
 *
 * <p>Reference: Durkan, Bekasov, Murray and Papamakarios, "Neural Spline Flows", NeurIPS 2019.
 *
 * <pre>{@code
 * RationalQuadraticSpline spline = RationalQuadraticSpline.builder().optBins(8).optBound(3).build();
 * // raw: a conditioner's output, (batch, 23 * features), parameter-major
 * NDList out = spline.forward(x, ElementwiseBijection.cut(raw, spline.getParameterShapes(), x.getShape()));
 * }</pre>
 */
public final class RationalQuadraticSpline implements ElementwiseBijection {

    /** The default minimum bin width, bin height and derivative. */
    public static final double DEFAULT_MINIMUM = 1e-3;

    private final int bins;
    private final double bound;
    private final double minBinWidth;
    private final double minBinHeight;
    private final double minDerivative;
    private final Tails tails;

    private RationalQuadraticSpline(Builder builder) {
        bins = builder.bins;
        bound = builder.bound;
        minBinWidth = builder.minBinWidth;
        minBinHeight = builder.minBinHeight;
        minDerivative = builder.minDerivative;
        tails = builder.tails;
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
     * The spline's pure math with the default minima (1e-3) and linear tails, usable without a
     * layer.
     *
     * @param x inputs, (batch, features...)
     * @param widths unnormalised bin widths, (batch, K, features...)
     * @param heights unnormalised bin heights, (batch, K, features...)
     * @param derivatives unnormalised interior derivatives, (batch, K-1, features...)
     * @param bound the half-width B of the spline's interval
     * @param inverse true for the inverse map
     * @return the output and the elementwise log|derivative| of the direction computed
     */
    public static NDList rationalQuadraticSpline(
            NDArray x,
            NDArray widths,
            NDArray heights,
            NDArray derivatives,
            double bound,
            boolean inverse) {
        return builder()
                .optBins(Math.toIntExact(widths.getShape().get(1)))
                .optBound(bound)
                .build()
                .apply(x, widths, heights, derivatives, inverse);
    }

    /**
     * The knots of a bounded monotone partition of [-B, B] from unnormalised sizes: {@code -B + 2B
     * * cumsum(min + (1 - K min) softmax(sizes))}, with the end knots set exactly to ±B.
     *
     * @param sizes unnormalised bin sizes, (batch, K, features...)
     * @param bound the half-width B
     * @param minSize the minimum bin size as a fraction of 2B
     * @return the K + 1 knots, (batch, K+1, features...)
     */
    public static NDArray knots(NDArray sizes, double bound, double minSize) {
        Shape shape = sizes.getShape();
        return knots(sizes, Math.toIntExact(shape.get(1)), shape.dimension(), bound, minSize);
    }

    private static NDArray knots(NDArray sizes, int k, int rank, double bound, double minSize) {
        NDArray fractions = Tensors.add(Tensors.mul(sizes.softmax(1), 1 - minSize * k), minSize);
        NDArray inner = fractions.cumSum(1).split(new long[] {k - 1}, 1).get(0);
        NDArray interior = Tensors.add(Tensors.mul(inner, 2 * bound), -bound);
        // the end knots are exactly -B and B
        return interior.pad(axisOnePadding(rank, 1, 0), -bound)
                .pad(axisOnePadding(rank, 0, 1), bound);
    }

    /**
     * DJL's (torch's) padding list for axis 1 of an array of the given rank: pairs from the last
     * axis backwards, zero for every axis after 1.
     */
    private static Shape axisOnePadding(int rank, long before, long after) {
        long[] padding = new long[2 * (rank - 1)];
        padding[padding.length - 2] = before;
        padding[padding.length - 1] = after;
        return new Shape(padding);
    }

    /**
     * Returns the number of bins.
     *
     * @return K
     */
    public int getBins() {
        return bins;
    }

    /**
     * Returns the half-width of the spline's interval.
     *
     * @return B
     */
    public double getBound() {
        return bound;
    }

    /** {@inheritDoc} */
    @Override
    public int[] getParameterShapes() {
        return new int[] {bins, bins, bins - 1};
    }

    /** {@inheritDoc} Groups: widths (batch, K, features...), heights, derivatives (K - 1). */
    @Override
    public NDList forward(NDArray x, NDList params) {
        return applyGroups(x, params, false);
    }

    /** {@inheritDoc} Groups: widths (batch, K, features...), heights, derivatives (K - 1). */
    @Override
    public NDList inverse(NDArray y, NDList params) {
        return applyGroups(y, params, true);
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return String.format(
                Locale.ROOT,
                "rational-quadratic(bins=%d,bound=%s,min=%s/%s/%s,tails=%s)",
                bins,
                bound,
                minBinWidth,
                minBinHeight,
                minDerivative,
                tails);
    }

    private NDList applyGroups(NDArray x, NDList params, boolean inverse) {
        if (params.size() != 3) {
            throw new IllegalArgumentException(
                    "a spline expects 3 parameter groups (widths, heights, derivatives), got "
                            + params.size());
        }
        NDArray derivatives = params.get(2);
        if (bins == 2) {
            // a group of size 1 comes shaped like x
            derivatives = derivatives.expandDims(1);
        }
        return apply(x, params.get(0), params.get(1), derivatives, inverse);
    }

    private NDList apply(
            NDArray x, NDArray widths, NDArray heights, NDArray derivatives, boolean inverse) {
        checkShape("widths", widths, x, bins);
        checkShape("heights", heights, x, bins);
        checkShape("derivatives", derivatives, x, bins - 1);
        return spline(x, widths, heights, derivatives, inverse);
    }

    /**
     * The spline on checked shapes. Work happens on (batch, 1, features...) arrays, where the
     * gathered bin quantities broadcast without squeezing; about 60 native calls in all.
     */
    private NDList spline(
            NDArray x, NDArray widths, NDArray heights, NDArray derivatives, boolean inverse) {
        int rank = x.getShape().dimension() + 1;
        NDArray knotsX = knots(widths, bins, rank, bound, minBinWidth);
        NDArray knotsY = knots(heights, bins, rank, bound, minBinHeight);
        NDArray slopes = knotDerivatives(derivatives, rank);
        NDArray inside = x.abs().lte(Tensors.shared(x, bound));
        // Outside [-B, B] the spline runs on 0, a valid input whose result the final where drops,
        // so neither values nor gradients of the unused branch can be NaN. (where, not clip:
        // DJL's clip hands autograd borrowed scalar buffers, see Tensors.scalar.)
        NDArray v = NDArrays.where(inside, x, Tensors.shared(x, 0)).expandDims(1);
        SplineBin bin =
                new SplineBin(v, inverse ? knotsY : knotsX, knotsX, knotsY, slopes, bins, rank);
        NDArray[] in = inverse ? bin.inverse(v) : bin.forward(v);
        return new NDList(
                NDArrays.where(inside, in[0].squeeze(1), x),
                NDArrays.where(inside, in[1].squeeze(1), Tensors.shared(x, 0)));
    }

    /** Knot derivatives (batch, K+1, features...): 1 at both ends, softplus inside. */
    private NDArray knotDerivatives(NDArray raw, int rank) {
        double shift = Math.log(Math.expm1(1 - minDerivative));
        NDArray interior = Tensors.add(Activation.softPlus(Tensors.add(raw, shift)), minDerivative);
        return interior.pad(axisOnePadding(rank, 1, 1), 1.0);
    }

    private static void checkShape(String what, NDArray array, NDArray x, int count) {
        Shape expected = new Shape(x.getShape().get(0), count).addAll(x.getShape().slice(1));
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    "spline "
                            + what
                            + " must have shape (batch, "
                            + count
                            + ", features...) = "
                            + expected
                            + " for inputs "
                            + x.getShape()
                            + ", got "
                            + array.getShape());
        }
    }

    /** Builds a {@link RationalQuadraticSpline}. */
    public static final class Builder {

        private int bins = 8;
        private double bound = 3.0;
        private double minBinWidth = DEFAULT_MINIMUM;
        private double minBinHeight = DEFAULT_MINIMUM;
        private double minDerivative = DEFAULT_MINIMUM;
        private Tails tails = Tails.LINEAR;

        Builder() {}

        /** Copies every option of {@code other} into this builder. */
        void copyFrom(Builder other) {
            Preconditions.checkArgument(other != null, "spline options must not be null");
            bins = other.bins;
            bound = other.bound;
            minBinWidth = other.minBinWidth;
            minBinHeight = other.minBinHeight;
            minDerivative = other.minDerivative;
            tails = other.tails;
        }

        /**
         * Sets the number of bins K. Defaults to 8.
         *
         * @param bins at least 2
         * @return this builder
         */
        public Builder optBins(int bins) {
            this.bins = bins;
            return this;
        }

        /**
         * Sets the half-width B of the interval the spline acts on. Defaults to 3 (as nflows' tail
         * bound): for standardised data ±3 holds 99.7% of each Gaussian-like marginal, the identity
         * tails cover the rest, and K bins are 5/3 narrower than over zuko's ±5 (on two moons, 100
         * steps reach 1.58 nats with B = 3 against 1.82 with B = 5).
         *
         * @param bound positive
         * @return this builder
         */
        public Builder optBound(double bound) {
            this.bound = bound;
            return this;
        }

        /**
         * Sets the minimum bin width as a fraction of 2B. Defaults to 1e-3.
         *
         * @param minBinWidth positive, with K * minBinWidth &lt; 1
         * @return this builder
         */
        public Builder optMinBinWidth(double minBinWidth) {
            this.minBinWidth = minBinWidth;
            return this;
        }

        /**
         * Sets the minimum bin height as a fraction of 2B. Defaults to 1e-3.
         *
         * @param minBinHeight positive, with K * minBinHeight &lt; 1
         * @return this builder
         */
        public Builder optMinBinHeight(double minBinHeight) {
            this.minBinHeight = minBinHeight;
            return this;
        }

        /**
         * Sets the minimum interior knot derivative. Defaults to 1e-3.
         *
         * @param minDerivative in (0, 1)
         * @return this builder
         */
        public Builder optMinDerivative(double minDerivative) {
            this.minDerivative = minDerivative;
            return this;
        }

        /**
         * Sets the behaviour outside [-B, B]. Defaults to {@link Tails#LINEAR}, the only kind.
         *
         * @param tails the tails
         * @return this builder
         */
        public Builder optTails(Tails tails) {
            this.tails = tails;
            return this;
        }

        /**
         * Builds the spline.
         *
         * @return the spline
         */
        public RationalQuadraticSpline build() {
            Preconditions.checkArgument(bins >= 2, "a spline needs at least 2 bins, got " + bins);
            Preconditions.checkArgument(
                    bound > 0 && Double.isFinite(bound), "bound must be positive, got " + bound);
            checkMinimum("bin width", minBinWidth, bins);
            checkMinimum("bin height", minBinHeight, bins);
            Preconditions.checkArgument(
                    minDerivative > 0 && minDerivative < 1,
                    "minimum derivative must be in (0, 1), got " + minDerivative);
            Preconditions.checkArgument(tails != null, "tails must be set, got null");
            return new RationalQuadraticSpline(this);
        }

        private static void checkMinimum(String what, double value, int bins) {
            Preconditions.checkArgument(
                    value > 0 && value * bins < 1,
                    "minimum "
                            + what
                            + " must be positive with bins * minimum < 1, got "
                            + value
                            + " for "
                            + bins
                            + " bins");
        }
    }
}
