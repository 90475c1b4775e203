package io.github.djlflows.core.flows;

import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.autoregressive.Made;
import io.github.djlflows.core.autoregressive.Ordering;
import io.github.djlflows.core.bijection.ElementwiseBijection;
import io.github.djlflows.core.elementwise.BatchNormFlow;
import io.github.djlflows.core.elementwise.ElementwiseTransform;
import io.github.djlflows.core.elementwise.ReversePermutation;
import java.util.ArrayList;
import java.util.List;

/**
 * The options shared by the ready-made autoregressive stacks {@link Maf}, {@link Iaf} and {@link
 * Naf}: {@code n} autoregressive layers with a {@link ReversePermutation} between consecutive
 * layers (so each layer sees the features in the opposite order of the previous one) and,
 * optionally, a {@link BatchNormFlow} before each permutation.
 *
 * <p>Layout for n = 3: {@code AR, [BN], reverse, AR, [BN], reverse, AR}. One feature has nothing to
 * condition on but the context: its layers are the layers' maps as {@link ElementwiseTransform}s
 * (learned constants, or an MLP of the context), {@code map, [BN], map, [BN], map}; so a
 * one-feature MAF is a learned affine map (a Gaussian fit).
 *
 * <pre>{@code
 * FlowSequence flow = Maf.builder().setDimension(2).optLayers(5).optBatchNorm(true).build();
 * }</pre>
 */
public final class AutoregressiveStackBuilder {

    /** Builds one autoregressive layer from its MADE configuration and scale bound. */
    interface LayerFactory {
        FlowBlock layer(Made.Builder made, double scaleBound);
    }

    /** The per-feature map of a layer, for one feature (which no MADE can condition). */
    interface MapFactory {
        ElementwiseBijection map(double scaleBound);
    }

    private final LayerFactory factory;
    private final MapFactory oneFeature;

    private long dimension;
    private int layers = 5;
    private int[] hiddenSizes = {64, 64};
    private int residualBlocks;
    private long contextSize;
    private Ordering ordering = Ordering.NATURAL;
    private long seed;
    private boolean batchNorm;
    private double scaleBound = 3.0;

    AutoregressiveStackBuilder(LayerFactory factory, MapFactory oneFeature) {
        this.factory = factory;
        this.oneFeature = oneFeature;
    }

    /**
     * Sets the number of features D. Required.
     *
     * @param dimension at least 1
     * @return this builder
     */
    public AutoregressiveStackBuilder setDimension(long dimension) {
        this.dimension = dimension;
        return this;
    }

    /**
     * Sets the number of autoregressive layers. Defaults to 5.
     *
     * @param layers at least 1
     * @return this builder
     */
    public AutoregressiveStackBuilder optLayers(int layers) {
        this.layers = layers;
        return this;
    }

    /**
     * Sets the hidden widths of every MADE. Defaults to {64, 64}.
     *
     * @param hiddenSizes the widths
     * @return this builder
     */
    public AutoregressiveStackBuilder optHiddenSizes(int... hiddenSizes) {
        this.hiddenSizes = hiddenSizes.clone();
        return this;
    }

    /**
     * Sets the number of residual masked blocks of every MADE. Defaults to 0.
     *
     * @param residualBlocks at least 0
     * @return this builder
     */
    public AutoregressiveStackBuilder optResidualBlocks(int residualBlocks) {
        this.residualBlocks = residualBlocks;
        return this;
    }

    /**
     * Sets the context size of a conditional flow. Defaults to 0 (unconditional).
     *
     * @param contextSize at least 0
     * @return this builder
     */
    public AutoregressiveStackBuilder optContextSize(long contextSize) {
        this.contextSize = contextSize;
        return this;
    }

    /**
     * Sets the ordering of every MADE (before the reversals between layers). Defaults to {@link
     * Ordering#NATURAL}.
     *
     * @param ordering the ordering
     * @return this builder
     */
    public AutoregressiveStackBuilder optOrdering(Ordering ordering) {
        this.ordering = ordering;
        return this;
    }

    /**
     * Sets the seed of random orderings; layer i uses {@code seed + i}. Defaults to 0.
     *
     * @param seed the seed
     * @return this builder
     */
    public AutoregressiveStackBuilder optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Whether to put a {@link BatchNormFlow} between layers. Defaults to false.
     *
     * @param batchNorm true to add batch-norm flows
     * @return this builder
     */
    public AutoregressiveStackBuilder optBatchNorm(boolean batchNorm) {
        this.batchNorm = batchNorm;
        return this;
    }

    /**
     * Sets the bound B on |log-scale| of every layer. Defaults to 3.
     *
     * @param scaleBound positive
     * @return this builder
     */
    public AutoregressiveStackBuilder optScaleBound(double scaleBound) {
        this.scaleBound = scaleBound;
        return this;
    }

    /**
     * Builds the stack.
     *
     * @return the sequence of layers, in the normalizing direction
     */
    public FlowSequence build() {
        Preconditions.checkArgument(
                dimension >= 1, "setDimension is required (>= 1), got " + dimension);
        Preconditions.checkArgument(layers >= 1, "at least one layer is needed, got " + layers);
        Preconditions.checkArgument(
                scaleBound > 0, "scale bound must be positive, got " + scaleBound);
        List<FlowBlock> blocks = new ArrayList<>();
        if (dimension == 1) {
            // the one feature depends on nothing but the context: no MADE (all its input weights
            // would be masked), the layer's map with parameters learned or from the context
            for (int i = 0; i < layers; i++) {
                blocks.add(
                        ElementwiseTransform.of(
                                oneFeature.map(scaleBound), 1, contextSize, hiddenSizes));
                if (batchNorm && i < layers - 1) {
                    blocks.add(BatchNormFlow.builder().build());
                }
            }
            return new FlowSequence(blocks);
        }
        for (int i = 0; i < layers; i++) {
            Made.Builder made =
                    Made.builder()
                            .setDimension(dimension)
                            .optHiddenSizes(hiddenSizes)
                            .optResidualBlocks(residualBlocks)
                            .optContextSize(contextSize)
                            .optOrdering(ordering)
                            .optSeed(seed + i);
            blocks.add(factory.layer(made, scaleBound));
            if (i < layers - 1) {
                if (batchNorm) {
                    blocks.add(BatchNormFlow.builder().build());
                }
                blocks.add(new ReversePermutation());
            }
        }
        return new FlowSequence(blocks);
    }
}
