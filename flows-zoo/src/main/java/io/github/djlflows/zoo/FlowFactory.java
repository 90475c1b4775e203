package io.github.djlflows.zoo;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.RealNvp;
import io.github.djlflows.core.distribution.StandardNormal;
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
    public static final List<String> FAMILIES = List.of("realnvp");

    private FlowFactory() {}

    /**
     * Builds the model a config describes.
     *
     * @param config the config
     * @return an uninitialized model
     * @throws IllegalArgumentException for an unknown family, naming the known ones
     */
    public static NormalizingFlow build(FlowConfig config) {
        Shape shape = config.shape();
        FlowBlock flow = flowOf(config, shape);
        return NormalizingFlow.builder().setFlow(flow).setBase(new StandardNormal(shape)).build();
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
            default:
                throw new IllegalArgumentException(
                        "unknown flow family '" + family + "', expected one of " + FAMILIES);
        }
    }
}
