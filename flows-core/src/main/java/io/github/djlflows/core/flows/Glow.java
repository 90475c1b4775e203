package io.github.djlflows.core.flows;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.coupling.AffineCoupling;
import io.github.djlflows.core.coupling.MaskType;
import io.github.djlflows.core.image.ActNorm;
import io.github.djlflows.core.image.ImageConditioners;
import io.github.djlflows.core.image.InvertibleConv1x1;
import io.github.djlflows.core.image.MultiScaleFlow;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds Glow: a {@link MultiScaleFlow} of L levels, each a squeeze followed by K steps of flow and
 * (except the last) a split that factors half the channels out.
 *
 * <pre>
 * step = ActNorm → InvertibleConv1x1 (LU) → AffineCoupling(CHANNEL mask, conv conditioner)
 * </pre>
 *
 * <p>By default the factored halves are scored by the standard-normal base; {@link
 * Builder#optLearnedPrior(boolean)} adds Glow's learned conditional prior for them.
 *
 * <p>Shapes: input (C, H, W) with H and W divisible by 2^L; output z has the same shape (see {@link
 * MultiScaleFlow} for the layout). Cost per sample: about L·K coupling network passes at decreasing
 * resolution, in both directions; analytic inverse (one C×C matrix inverse per 1x1 convolution per
 * call).
 *
 * <p>Reference: Kingma and Dhariwal, "Glow: Generative Flow with Invertible 1x1 Convolutions",
 * NeurIPS 2018.
 *
 * <pre>{@code
 * FlowBlock glow = Glow.builder().setInputShape(new Shape(1, 28, 28)).optLevels(2).optSteps(4).build();
 * }</pre>
 */
public final class Glow {

    private Glow() {}

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a Glow flow. */
    public static final class Builder {

        private Shape inputShape;
        private int levels = 2;
        private int steps = 4;
        private int hiddenChannels = 64;
        private double scaleBound = 3.0;
        private long seed = 42;
        private boolean learnedPrior;

        Builder() {}

        /**
         * Sets the shape of one image (C, H, W). Required.
         *
         * @param inputShape (channels, height, width)
         * @return this builder
         */
        public Builder setInputShape(Shape inputShape) {
            this.inputShape = inputShape;
            return this;
        }

        /**
         * Sets the number of levels L. Defaults to 2.
         *
         * @param levels L, at least 1
         * @return this builder
         */
        public Builder optLevels(int levels) {
            this.levels = levels;
            return this;
        }

        /**
         * Sets the number of steps K per level. Defaults to 4.
         *
         * @param steps K, at least 1
         * @return this builder
         */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets the hidden channels of the coupling networks. Defaults to 64.
         *
         * @param hiddenChannels the width
         * @return this builder
         */
        public Builder optHiddenChannels(int hiddenChannels) {
            this.hiddenChannels = hiddenChannels;
            return this;
        }

        /**
         * Sets the soft bound on the couplings' |log-scale|. Defaults to 3.
         *
         * @param scaleBound the bound
         * @return this builder
         */
        public Builder optScaleBound(double scaleBound) {
            this.scaleBound = scaleBound;
            return this;
        }

        /**
         * Sets the seed of the 1x1 convolutions' initial rotations. Defaults to 42.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Gives the factored half of each non-final level a learned conditional prior. Defaults to
         * false (the factored halves are scored by the standard-normal base, and the parameter
         * layout is that of earlier versions).
         *
         * <p>When true, the post flow of every level but the last ends with an affine coupling with
         * a {@link MaskType#CHANNEL} mask whose conditioner is one zero-initialised 3x3 convolution
         * ({@link ImageConditioners#zeroConv}): the kept half z1 (first channels, see {@link
         * MultiScaleFlow}) passes unchanged and the factored half becomes {@code z2' = (z2 -
         * mu(z1)) · exp(-s(z1))}, log-det {@code -Σ s(z1)}. A standard normal on z2' is then
         * exactly Glow's {@code N(z2; mu(z1), exp(s(z1)))} prior; the layer starts as the identity
         * and is a same-shape bijection (|s| soft-bounded by {@link #optScaleBound}). Cost: one
         * extra 3x3 convolution per non-final level in each direction.
         *
         * <p>Reference: Kingma and Dhariwal, "Glow", NeurIPS 2018 (multi-scale architecture with
         * learned prior).
         *
         * @param learnedPrior whether to learn the prior of the factored halves
         * @return this builder
         */
        public Builder optLearnedPrior(boolean learnedPrior) {
            this.learnedPrior = learnedPrior;
            return this;
        }

        /**
         * Builds the flow.
         *
         * @return a {@link MultiScaleFlow}
         * @throws IllegalArgumentException for a bad configuration, e.g. H or W not divisible by
         *     2^L
         */
        public MultiScaleFlow build() {
            long[] chw = ImageShapes.check(inputShape, levels, levels, "Glow");
            Preconditions.checkArgument(steps >= 1, "steps must be >= 1, got " + steps);
            Preconditions.checkArgument(hiddenChannels >= 1, "hidden channels must be >= 1");
            long c = chw[0];
            List<MultiScaleFlow.Level> list = new ArrayList<>();
            long s = seed;
            for (int l = 0; l < levels; l++) {
                long squeezed = 4 * c;
                // a CHANNEL mask transforms the last floor(C/2) channels: 2 parameters each
                long transformed = squeezed / 2;
                List<FlowBlock> layers = new ArrayList<>();
                for (int k = 0; k < steps; k++) {
                    layers.add(new ActNorm());
                    layers.add(new InvertibleConv1x1(s++));
                    layers.add(
                            AffineCoupling.builder()
                                    .optMask(MaskType.CHANNEL)
                                    .optScaleBound(scaleBound)
                                    .optConditioner(
                                            ImageConditioners.convNet(
                                                    Math.toIntExact(2 * transformed),
                                                    hiddenChannels))
                                    .build());
                }
                if (learnedPrior && l < levels - 1) {
                    // MultiScaleFlow keeps the first half of the channels and factors out the
                    // second: the CHANNEL mask conditions on the first ceil(C/2), as needed
                    layers.add(
                            AffineCoupling.builder()
                                    .optMask(MaskType.CHANNEL)
                                    .optScaleBound(scaleBound)
                                    .optConditioner(
                                            ImageConditioners.zeroConv(
                                                    Math.toIntExact(2 * transformed)))
                                    .build());
                }
                list.add(MultiScaleFlow.Level.post(new FlowSequence(layers)));
                c = squeezed / 2;
            }
            return new MultiScaleFlow(list);
        }
    }
}
