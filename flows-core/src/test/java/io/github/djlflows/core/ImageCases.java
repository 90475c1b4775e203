package io.github.djlflows.core;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.contract.FlowCase;
import io.github.djlflows.core.coupling.AffineCoupling;
import io.github.djlflows.core.coupling.MaskType;
import io.github.djlflows.core.flows.Glow;
import io.github.djlflows.core.flows.RealNvpImage;
import io.github.djlflows.core.image.ActNorm;
import io.github.djlflows.core.image.DequantizationNoise;
import io.github.djlflows.core.image.Dequantize;
import io.github.djlflows.core.image.ImageConditioners;
import io.github.djlflows.core.image.InvertibleConv1x1;
import io.github.djlflows.core.image.LogitTransform;
import io.github.djlflows.core.image.PlainInvertibleConv1x1;
import io.github.djlflows.core.image.Squeeze;
import java.util.stream.Stream;

/** The image layers (Glow, multi-scale Real NVP and their parts) checked by the shared contract. */
final class ImageCases {

    private ImageCases() {}

    /** Glow with L = 2 levels of K = 1 step and 4 hidden channels. */
    private static Glow.Builder smallGlow(Shape image) {
        return Glow.builder().setInputShape(image).optLevels(2).optSteps(1).optHiddenChannels(4);
    }

    static Stream<FlowCase> cases() {
        Shape image = new Shape(2, 4, 4);
        Shape image4 = new Shape(4, 4, 4);
        return Stream.of(
                FlowCase.of("ActNorm", ActNorm::new, image4),
                FlowCase.of("InvertibleConv1x1", () -> new InvertibleConv1x1(3), image4)
                        .reloadInto(() -> new InvertibleConv1x1(4)),
                FlowCase.of("PlainInvertibleConv1x1", () -> new PlainInvertibleConv1x1(3), image4)
                        .reloadInto(() -> new PlainInvertibleConv1x1(4)),
                FlowCase.of("Squeeze", Squeeze::new, image),
                FlowCase.of("Squeeze inverted", () -> new Squeeze().inverted(), image4),
                FlowCase.of(
                        "AffineCoupling conv conditioner channel",
                        () ->
                                AffineCoupling.builder()
                                        .optMask(MaskType.CHANNEL)
                                        .optConditioner(
                                                ImageConditioners.convNet(
                                                        4,
                                                        4)) // 2 parameters x 2 transformed channels
                                        .build(),
                        image4),
                FlowCase.of(
                        "AffineCoupling conv conditioner checkerboard",
                        () ->
                                AffineCoupling.builder()
                                        .optMask(MaskType.CHECKERBOARD)
                                        .optConditioner(ImageConditioners.convNet(4, 4))
                                        .build(),
                        image),
                FlowCase.of("Glow L=2 K=1", () -> smallGlow(image).build(), image),
                FlowCase.of(
                        "Glow L=2 K=1 learned prior",
                        () ->
                                smallGlow(image)
                                        .optLearnedPrior(true)
                                        // an extra perturbed coupling: a tighter bound keeps the
                                        // float64 inverse well conditioned
                                        .optScaleBound(0.5)
                                        // with seed 42 one sample's ReLU pre-activation lies
                                        // within the brute-force step (1e-5) of its kink (log-det
                                        // off by 5e-4; agrees with a 1e-6 step): not a flow error
                                        .optSeed(9)
                                        .build(),
                        image),
                FlowCase.of(
                        "RealNvpImage L=2",
                        () ->
                                RealNvpImage.builder()
                                        .setInputShape(image)
                                        .optLevels(2)
                                        .optHiddenChannels(4)
                                        // ten perturbed couplings: a tighter bound keeps the
                                        // float64 inverse well conditioned
                                        .optScaleBound(0.5)
                                        .build(),
                        image),
                FlowCase.of("Dequantize", Dequantize::new, image),
                FlowCase.of(
                                "DequantizationNoise",
                                () -> new DequantizationNoise(5, 3, 8),
                                new Shape(5))
                        .withContext(3),
                FlowCase.of(
                                "DequantizationNoise convolutional",
                                () -> DequantizationNoise.convolutional(new Shape(1, 2, 3), 4),
                                new Shape(6))
                        .withContext(6),
                FlowCase.of("LogitTransform", () -> new LogitTransform(0.05), image)
                        .withInputs(0.08, 0.5),
                // N(0.5, 1): most features in the linear tails outside [0, 1]
                FlowCase.of("LogitTransform tails", () -> new LogitTransform(0.05), image)
                        .withInputs(1, 0.5));
    }
}
