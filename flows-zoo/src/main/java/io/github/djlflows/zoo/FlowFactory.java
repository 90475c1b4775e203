package io.github.djlflows.zoo;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.elementwise.Standardize;
import io.github.djlflows.core.flows.Glow;
import io.github.djlflows.core.flows.Maf;
import io.github.djlflows.core.flows.Nsf;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.flows.RealNvpImage;
import io.github.djlflows.core.image.Dequantize;
import io.github.djlflows.core.image.LogitTransform;
import io.github.djlflows.core.image.VariationalDequantize;
import java.util.List;

/**
 * Rebuilds a {@link NormalizingFlow} from a {@link FlowConfig}: the block factory that lets a
 * checkpoint's parameters load into the right architecture.
 *
 * <pre>{@code
 * NormalizingFlow flow = FlowFactory.build(config);
 * model.setBlock(flow);
 * model.load(paramsStream);
 * }</pre>
 */
public final class FlowFactory {

    /** The families this factory knows. */
    public static final List<String> FAMILIES =
            List.of("realnvp", "maf", "nsf", "nsf-ar", "glow", "realnvp-image");

    /** RealNVP's alpha of the logit pre-processing of image families. */
    public static final double LOGIT_ALPHA = 0.05;

    private FlowFactory() {}

    /**
     * Whether a config describes 8-bit images (reported in bits per dimension).
     *
     * @param config the config
     * @return true for image families
     */
    public static boolean isImage(FlowConfig config) {
        return isImageFamily(config.family);
    }

    /**
     * Whether a family is a model of 8-bit images.
     *
     * @param family the family name
     * @return true for glow and realnvp-image
     */
    public static boolean isImageFamily(String family) {
        return "glow".equals(family) || "realnvp-image".equals(family);
    }

    /**
     * Builds the model a config describes.
     *
     * @param config the config
     * @return an uninitialized model
     * @throws IllegalArgumentException for an unknown family, naming the known ones
     */
    public static NormalizingFlow build(FlowConfig config) {
        Standardize dataEnd =
                config.standardize
                        ? Standardize.placeholder(Math.toIntExact(config.shape().size()))
                        : null;
        return build(config, dataEnd);
    }

    /**
     * Builds the model a config describes with the given standardisation at its data end (fitted to
     * the training split), or none.
     *
     * @param config the config
     * @param standardize the data-end layer, or null for none
     * @return an uninitialized model
     * @throws IllegalArgumentException for an unknown family, or a standardisation of images
     */
    public static NormalizingFlow build(FlowConfig config, Standardize standardize) {
        Shape shape = config.shape();
        FlowBlock flow = flowOf(config, shape);
        if (standardize != null) {
            if (shape.dimension() != 1) {
                throw new IllegalArgumentException(
                        "standardize applies to vectors, the config's event shape is " + shape);
            }
            flow = FlowSequence.of(standardize, flow);
        }
        if (config.variationalDequantization() && "digits".equals(config.dataset)) {
            // digits then enter as their levels 0..16; q(u | v) replaces FlowData's uniform noise
            flow =
                    FlowSequence.of(
                            VariationalDequantize.builder()
                                    .setInputShape(shape)
                                    .optLevels(FlowData.DIGIT_LEVELS)
                                    .optHiddenSizes(config.hidden)
                                    .build(),
                            flow);
        }
        return NormalizingFlow.builder().setFlow(flow).setBase(new StandardNormal(shape)).build();
    }

    /**
     * The first layer of an image family: uniform or variational dequantization of 8-bit pixels.
     */
    private static FlowBlock dequantizer(FlowConfig config, Shape shape) {
        if (!config.variationalDequantization()) {
            return new Dequantize();
        }
        return VariationalDequantize.builder()
                .setInputShape(shape)
                .optHiddenSizes(config.hidden)
                .build();
    }

    private static FlowBlock flowOf(FlowConfig config, Shape shape) {
        String family = config.family == null ? "" : config.family;
        switch (family) {
            case "realnvp":
                return RealNvp.builder()
                        .setDimension(shape.size())
                        .optCouplings(config.layers)
                        .optHiddenSizes(config.hidden)
                        .optBatchNorm(config.batchNorm)
                        .build();
            case "maf":
                return Maf.builder()
                        .setDimension(shape.size())
                        .optLayers(config.layers)
                        .optHiddenSizes(config.hidden)
                        .optBatchNorm(config.batchNorm)
                        .build();
            case "nsf":
                return Nsf.builder()
                        .setDimension(shape.size())
                        .optTransforms(config.layers)
                        .optHiddenSizes(config.hidden)
                        .optBins(config.bins)
                        .optBound(config.bound)
                        .build();
            case "nsf-ar":
                return Nsf.builder()
                        .setDimension(shape.size())
                        .optStructure(Nsf.Structure.AUTOREGRESSIVE)
                        .optTransforms(config.layers)
                        .optHiddenSizes(config.hidden)
                        .optBins(config.bins)
                        .optBound(config.bound)
                        .build();
            case "glow":
                return FlowSequence.of(
                        dequantizer(config, shape),
                        new LogitTransform(LOGIT_ALPHA),
                        Glow.builder()
                                .setInputShape(shape)
                                .optLevels(config.levels)
                                .optSteps(config.layers)
                                .optHiddenChannels(config.hiddenChannels)
                                .build());
            case "realnvp-image":
                return FlowSequence.of(
                        dequantizer(config, shape),
                        new LogitTransform(LOGIT_ALPHA),
                        RealNvpImage.builder()
                                .setInputShape(shape)
                                .optLevels(config.levels)
                                .optHiddenChannels(config.hiddenChannels)
                                .build());
            default:
                throw new IllegalArgumentException(
                        "unknown flow family '" + family + "', expected one of " + FAMILIES);
        }
    }
}
