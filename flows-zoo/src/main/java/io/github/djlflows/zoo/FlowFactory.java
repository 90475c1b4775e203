package io.github.djlflows.zoo;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.elementwise.RangeTails;
import io.github.djlflows.core.elementwise.Standardize;
import io.github.djlflows.core.flows.Glow;
import io.github.djlflows.core.flows.Maf;
import io.github.djlflows.core.flows.Naf;
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
            List.of("realnvp", "maf", "nsf", "nsf-ar", "naf", "glow", "realnvp-image");

    /** The latent range [-b, b] on which a config's latent tails are the identity. */
    public static final double LATENT_TAIL_BOUND = 6;

    /** The scale s of a config's latent tails. */
    public static final double LATENT_TAIL_SCALE = 1;

    /**
     * The default alpha of the logit pre-processing ({@link FlowConfig#logitAlpha}): Real NVP's.
     */
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
     * the training split), or none; and latent tails at its latent end when the config asks.
     *
     * @param config the config
     * @param standardize the data-end layer, or null for none
     * @return an uninitialized model
     * @throws IllegalArgumentException for an unknown family, or a standardisation of images
     */
    public static NormalizingFlow build(FlowConfig config, Standardize standardize) {
        Shape shape = config.shape();
        FlowBlock flow = flowOf(config, shape);
        if (config.logit) {
            flow = FlowSequence.of(new LogitTransform(config.logitAlpha), flow);
        }
        if (standardize != null || config.latentTails) {
            if (standardize != null && shape.dimension() != 1) {
                throw new IllegalArgumentException(
                        "standardize applies to vectors, the config's event shape is " + shape);
            }
            java.util.List<FlowBlock> layers = new java.util.ArrayList<>();
            if (standardize != null) {
                layers.add(standardize);
            }
            layers.add(flow);
            if (config.latentTails) {
                layers.add(latentTails(Math.toIntExact(shape.size())));
            }
            flow = new FlowSequence(layers);
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
        // image models: sampleWithLogProb returns logProb of the very samples (one pass more; the
        // generative pass's own figure differs from it by float32 rounding of the two passes)
        return NormalizingFlow.builder()
                .setFlow(flow)
                .setBase(new StandardNormal(shape))
                .optSampleLogProb(
                        isImage(config)
                                ? NormalizingFlow.SampleLogProb.NORMALIZING
                                : NormalizingFlow.SampleLogProb.GENERATIVE)
                .build();
    }

    /**
     * The model a config with {@code latentTailsAfterTraining} trains: {@code full}'s flow without
     * the latent tails, its last layer, sharing every other block, so that training it trains
     * {@code full}. Only where the tails directly follow the family's flow (no standardisation, no
     * variational dequantization of digits).
     *
     * @param config the config
     * @param full the model {@link #build(FlowConfig)} built from it
     * @return the model without the tails
     * @throws IllegalArgumentException when the config has no tails or another layout
     */
    public static NormalizingFlow withoutLatentTails(FlowConfig config, NormalizingFlow full) {
        boolean digitsQ = config.variationalDequantization() && "digits".equals(config.dataset);
        if (!config.latentTails || config.standardize || digitsQ) {
            throw new IllegalArgumentException(
                    "config: latentTailsAfterTraining needs latentTails without standardize or"
                            + " variational digits, got latentTails "
                            + config.latentTails
                            + ", standardize "
                            + config.standardize
                            + ", dequantization "
                            + config.dequantization
                            + " of "
                            + config.dataset);
        }
        return NormalizingFlow.builder()
                .setFlow(((FlowSequence) full.getFlow()).getLayers().get(0))
                .setBase(full.getBase())
                .optSampleLogProb(full.getSampleLogProb())
                .build();
    }

    /**
     * The latent tails a config's {@code latentTails} adds: the identity on [-{@link
     * #LATENT_TAIL_BOUND}, {@link #LATENT_TAIL_BOUND}], scale {@link #LATENT_TAIL_SCALE}.
     *
     * @param dimension the number of latent features
     * @return the layer
     */
    public static RangeTails latentTails(int dimension) {
        return RangeTails.symmetric(dimension, LATENT_TAIL_BOUND, LATENT_TAIL_SCALE);
    }

    /**
     * The first layer of an image family: uniform or variational dequantization of 8-bit pixels.
     */
    private static FlowBlock dequantizer(FlowConfig config, Shape shape) {
        if (!config.variationalDequantization()) {
            return new Dequantize();
        }
        // q's noise per pixel from Glow's conv network of the image, as wide as the flow's own
        return VariationalDequantize.builder()
                .setInputShape(shape)
                .optHiddenChannels(config.hiddenChannels)
                .build();
    }

    private static FlowBlock flowOf(FlowConfig config, Shape shape) {
        String family = config.family == null ? "" : config.family;
        if (shape.size() == 1 && ("realnvp".equals(family) || "nsf".equals(family))) {
            throw new IllegalArgumentException(
                    "family "
                            + family
                            + " is made of couplings, which need at least 2 features; one column"
                            + " takes an autoregressive family: nsf-ar or naf (learned monotone"
                            + " maps), or maf (one affine map: a Gaussian fit)");
        }
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
            case "naf":
                return Naf.builder(config.units)
                        .setDimension(shape.size())
                        .optLayers(config.layers)
                        .optHiddenSizes(config.hidden)
                        .optBatchNorm(config.batchNorm)
                        .build();
            case "glow":
                return FlowSequence.of(
                        dequantizer(config, shape),
                        new LogitTransform(config.logitAlpha),
                        Glow.builder()
                                .setInputShape(shape)
                                .optLevels(config.levels)
                                .optSteps(config.layers)
                                .optHiddenChannels(config.hiddenChannels)
                                .optLearnedPrior(config.learnedPrior)
                                .build());
            case "realnvp-image":
                return FlowSequence.of(
                        dequantizer(config, shape),
                        new LogitTransform(config.logitAlpha),
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
