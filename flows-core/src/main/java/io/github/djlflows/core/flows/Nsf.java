package io.github.djlflows.core.flows;

import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.autoregressive.Made;
import io.github.djlflows.core.autoregressive.RationalQuadraticAutoregressive;
import io.github.djlflows.core.bijection.RationalQuadraticSpline;
import io.github.djlflows.core.bijection.SplineOptions;
import io.github.djlflows.core.coupling.RationalQuadraticCoupling;
import io.github.djlflows.core.elementwise.ElementwiseTransform;
import io.github.djlflows.core.elementwise.RandomPermutation;
import io.github.djlflows.core.elementwise.ReversePermutation;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a coupling Neural Spline Flow for vectors: {@link RationalQuadraticCoupling} layers (each
 * transforms the second half of the features with a K-bin spline conditioned on the first half)
 * with a feature permutation between consecutive layers, so every feature is transformed.
 *
 * <pre>
 * x → RQ-coupling → permutation → RQ-coupling → … → RQ-coupling → z
 * </pre>
 *
 * <p>Cost: one conditioner pass per coupling in both directions (parallel); analytic inverse.
 *
 * <p>Reference: Durkan, Bekasov, Murray and Papamakarios, "Neural Spline Flows", NeurIPS 2019.
 *
 * <pre>{@code
 * FlowSequence flow = Nsf.builder().setDimension(2).optTransforms(3).optBins(8).build();
 * }</pre>
 */
public final class Nsf {

    private Nsf() {}

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Which structure carries the splines. */
    public enum Structure {
        /** RQ-NSF(C): spline couplings; both directions in one pass per layer. */
        COUPLING,
        /**
         * RQ-NSF(AR): spline MADE layers; density in one pass, sampling in D passes per layer. One
         * feature takes splines whose parameters are learned constants or an MLP of the context
         * ({@link ElementwiseTransform}), which is what such a layer is.
         */
        AUTOREGRESSIVE
    }

    /** How features are reordered between two couplings. */
    public enum PermutationType {
        /** Reverse the feature order ({@link ReversePermutation}). */
        REVERSE,
        /** A fixed random order per layer, seeded ({@link RandomPermutation}). */
        RANDOM
    }

    /**
     * Builds a vector NSF; the spline options ({@code optBins}, {@code optBound}, ...) are the
     * shared {@link SplineOptions}, handed to every layer.
     */
    public static final class Builder implements SplineOptions<Builder> {

        private long dimension;
        private int transforms = 3;
        private Structure structure = Structure.COUPLING;
        private final RationalQuadraticSpline.Builder spline = RationalQuadraticSpline.builder();
        private int[] hiddenSizes = {64, 64};
        private long contextSize;
        private PermutationType permutation = PermutationType.REVERSE;
        private long seed;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        public RationalQuadraticSpline.Builder splineBuilder() {
            return spline;
        }

        /**
         * Sets the number of features. Required.
         *
         * @param dimension at least 2
         * @return this builder
         */
        public Builder setDimension(long dimension) {
            this.dimension = dimension;
            return this;
        }

        /**
         * Sets the number of spline couplings. Defaults to 3 (as zuko's NSF).
         *
         * @param transforms at least 1
         * @return this builder
         */
        public Builder optTransforms(int transforms) {
            this.transforms = transforms;
            return this;
        }

        /**
         * Sets the hidden widths of each conditioner MLP. Defaults to {64, 64}.
         *
         * @param hiddenSizes the widths
         * @return this builder
         */
        public Builder optHiddenSizes(int... hiddenSizes) {
            this.hiddenSizes = hiddenSizes.clone();
            return this;
        }

        /**
         * Sets the context size of a conditional flow. Defaults to 0.
         *
         * @param contextSize the number of context features
         * @return this builder
         */
        public Builder optContextSize(long contextSize) {
            this.contextSize = contextSize;
            return this;
        }

        /**
         * Sets the permutation between couplings. Defaults to {@link PermutationType#REVERSE}.
         *
         * @param permutation the permutation type
         * @return this builder
         */
        public Builder optPermutation(PermutationType permutation) {
            this.permutation = permutation;
            return this;
        }

        /**
         * Sets the seed of random permutations (layer i uses seed + i). Defaults to 0.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the structure: spline couplings or spline autoregressive layers. Defaults to {@link
         * Structure#COUPLING}.
         *
         * @param structure the structure
         * @return this builder
         */
        public Builder optStructure(Structure structure) {
            this.structure = structure;
            return this;
        }

        /**
         * Builds the flow.
         *
         * @return the sequence of layers
         */
        public FlowSequence build() {
            Preconditions.checkArgument(structure != null, "structure must not be null");
            Preconditions.checkArgument(
                    dimension >= (structure == Structure.COUPLING ? 2 : 1),
                    structure == Structure.COUPLING
                            ? "NSF couplings need dimension >= 2 (a coupling keeps some features"
                                    + " and transforms the others), got "
                                    + dimension
                                    + "; the autoregressive structure works from 1"
                            : "NSF needs dimension >= 1, got " + dimension);
            Preconditions.checkArgument(
                    transforms >= 1, "NSF needs at least one transform, got " + transforms);
            Preconditions.checkArgument(permutation != null, "permutation type must not be null");
            spline.build(); // validates the spline options once, before any layer is built
            List<FlowBlock> layers = new ArrayList<>();
            for (int i = 0; i < transforms; i++) {
                if (dimension == 1) {
                    // one feature depends on nothing but the context: the spline's parameters are
                    // learned constants or an MLP of the context (a MADE of one input would have
                    // every input weight masked)
                    layers.add(
                            ElementwiseTransform.of(spline.build(), 1, contextSize, hiddenSizes));
                    continue;
                }
                if (i > 0) {
                    layers.add(
                            permutation == PermutationType.REVERSE
                                    ? new ReversePermutation()
                                    : new RandomPermutation(seed + i));
                }
                if (structure == Structure.AUTOREGRESSIVE) {
                    layers.add(
                            RationalQuadraticAutoregressive.builder()
                                    .setConditioner(
                                            Made.builder()
                                                    .setDimension(dimension)
                                                    .optHiddenSizes(hiddenSizes)
                                                    .optContextSize(contextSize))
                                    .optSpline(spline)
                                    .build());
                } else {
                    layers.add(
                            RationalQuadraticCoupling.builder()
                                    .setDimension(dimension)
                                    .optSpline(spline)
                                    .optHiddenSizes(hiddenSizes)
                                    .optContextSize(contextSize)
                                    .build());
                }
            }
            return new FlowSequence(layers);
        }
    }
}
