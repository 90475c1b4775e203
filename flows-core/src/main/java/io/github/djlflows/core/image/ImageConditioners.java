package io.github.djlflows.core.image;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.initializer.Initializer;

/**
 * Convolutional conditioners for image couplings.
 *
 * <p>The conditioner of an image coupling writes P parameters per transformed channel,
 * parameter-major (for an affine coupling P = 2: the shifts of every transformed channel, then
 * their raw log-scales, as {@code AffineBijection} declares them). With a CHANNEL mask it maps the
 * kept channels (batch, C_a, H, W) to (batch, P * C_b, H, W); with a CHECKERBOARD mask the masked
 * image (batch, C, H, W) to (batch, P * C, H, W). The input channel count is inferred.
 */
public final class ImageConditioners {

    private ImageConditioners() {}

    /**
     * Glow's coupling network: conv 3x3 (padding 1) → ReLU → conv 1x1 → ReLU → zero-initialised
     * conv 3x3 (padding 1). The zero last layer makes a new coupling the identity.
     *
     * <p>Cost per sample: O(HW · hidden · (9C + hidden + 9 outChannels)).
     *
     * <p>Reference: Kingma and Dhariwal, "Glow", NeurIPS 2018 (section 3.3).
     *
     * @param outChannels the output channels (P * C_b, or P * C for a checkerboard mask)
     * @param hiddenChannels the hidden channels
     * @return the network, mapping (B, C, H, W) to (B, outChannels, H, W)
     */
    public static Block convNet(int outChannels, int hiddenChannels) {
        if (outChannels <= 0 || hiddenChannels <= 0) {
            throw new IllegalArgumentException(
                    "channel counts must be positive, got out "
                            + outChannels
                            + ", hidden "
                            + hiddenChannels);
        }
        Block last = zeroConv(outChannels);
        return new SequentialBlock()
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optPadding(new Shape(1, 1))
                                .setFilters(hiddenChannels)
                                .build())
                .add(Activation.reluBlock())
                .add(
                        Conv2d.builder()
                                .setKernelShape(new Shape(1, 1))
                                .setFilters(hiddenChannels)
                                .build())
                .add(Activation.reluBlock())
                .add(last);
    }

    /**
     * A single zero-initialised conv 3x3 (padding 1): Glow's prior network for a factored half, and
     * the last layer of {@link #convNet}. Starts as the zero map.
     *
     * <p>Cost per sample: O(HW · 9 · C · outChannels) for C input channels.
     *
     * @param outChannels the output channels
     * @return the convolution, mapping (B, C, H, W) to (B, outChannels, H, W)
     */
    public static Block zeroConv(int outChannels) {
        if (outChannels <= 0) {
            throw new IllegalArgumentException(
                    "output channels must be positive, got " + outChannels);
        }
        Conv2d conv =
                Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optPadding(new Shape(1, 1))
                        .setFilters(outChannels)
                        .build();
        conv.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        conv.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return conv;
    }
}
