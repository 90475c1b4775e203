package io.github.djlflows.core.flows;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.coupling.AffineCoupling;
import io.github.djlflows.core.coupling.MaskType;
import io.github.djlflows.core.image.ActNorm;
import io.github.djlflows.core.image.ImageConditioners;
import io.github.djlflows.core.image.MultiScaleFlow;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the multi-scale Real NVP for images as a {@link MultiScaleFlow}.
 *
 * <pre>
 * level i &lt; L-1: 3 checkerboard affine couplings (alternating masks) at (C_i, H_i, W_i)
 *               → squeeze → 3 channel affine couplings (alternating) → split (factor out half)
 * level L-1:    4 checkerboard affine couplings, no squeeze
 * </pre>
 *
 * <p>Conditioners are {@link ImageConditioners#convNet} (zero last layer, so the flow starts as the
 * identity). Shapes: input (C, H, W) with H and W divisible by 2^(L-1); output z of the same shape.
 * Cost: about 6L coupling network passes per direction; analytic inverse. Batch normalisation of
 * the paper is left out (use {@link ActNorm} in Glow for that role).
 *
 * <p>Reference: Dinh, Sohl-Dickstein and Bengio, "Density estimation using Real NVP", ICLR 2017.
 *
 * <pre>{@code
 * FlowBlock flow = RealNvpImage.builder().setInputShape(new Shape(1, 28, 28)).optLevels(2).build();
 * }</pre>
 */
public final class RealNvpImage {

    private RealNvpImage() {}

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a multi-scale Real NVP. */
    public static final class Builder {

        private Shape inputShape;
        private int levels = 2;
        private int hiddenChannels = 64;
        private double scaleBound = 3.0;

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
         * Sets the number of scales L. Defaults to 2.
         *
         * @param levels L, at least 1
         * @return this builder
         */
        public Builder optLevels(int levels) {
            this.levels = levels;
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

        /** The channels a coupling writes parameters for: all (CHECKERBOARD) or the transformed. */
        private static long transformed(MaskType mask, long channels, boolean invert) {
            return mask == MaskType.CHANNEL
                    ? (invert ? (channels + 1) / 2 : channels / 2)
                    : channels;
        }

        private FlowBlock couplings(int n, MaskType mask, long channels) {
            List<FlowBlock> layers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                layers.add(
                        AffineCoupling.builder()
                                .optMask(mask)
                                .optInvertMask(i % 2 == 1)
                                .optScaleBound(scaleBound)
                                .optConditioner(
                                        ImageConditioners.convNet(
                                                Math.toIntExact(
                                                        2
                                                                * transformed(
                                                                        mask,
                                                                        channels,
                                                                        i % 2 == 1)),
                                                hiddenChannels))
                                .build());
            }
            return new FlowSequence(layers);
        }

        /**
         * Builds the flow.
         *
         * @return a {@link MultiScaleFlow}
         * @throws IllegalArgumentException for a bad configuration
         */
        public MultiScaleFlow build() {
            long[] chw = ImageShapes.check(inputShape, levels, levels - 1, "RealNvpImage");
            Preconditions.checkArgument(hiddenChannels >= 1, "hidden channels must be >= 1");
            long c = chw[0];
            List<MultiScaleFlow.Level> list = new ArrayList<>();
            for (int l = 0; l < levels - 1; l++) {
                list.add(
                        new MultiScaleFlow.Level(
                                couplings(3, MaskType.CHECKERBOARD, c),
                                couplings(3, MaskType.CHANNEL, 4 * c)));
                c = 2 * c;
            }
            list.add(new MultiScaleFlow.Level(couplings(4, MaskType.CHECKERBOARD, c), null));
            return new MultiScaleFlow(list);
        }
    }
}
