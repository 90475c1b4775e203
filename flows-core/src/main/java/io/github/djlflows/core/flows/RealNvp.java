package io.github.djlflows.core.flows;

import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.coupling.AffineCoupling;
import io.github.djlflows.core.elementwise.BatchNormFlow;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a RealNVP flow for vectors: affine couplings with HALF masks, inverted every other layer
 * (each layer transforms the features the previous one kept), optionally with batch-norm flows
 * between them.
 *
 * <p>Cost: one conditioner pass per coupling in both directions.
 *
 * <p>Reference: Dinh, Sohl-Dickstein and Bengio, "Density estimation using Real NVP", ICLR 2017.
 *
 * <pre>{@code
 * FlowSequence flow = RealNvp.builder().setDimension(2).optCouplings(8).optHiddenSizes(64, 64).build();
 * }</pre>
 */
public final class RealNvp {

    private RealNvp() {}

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a vector RealNVP. */
    public static final class Builder {

        private long dimension;
        private int couplings = 8;
        private int[] hiddenSizes = {64, 64};
        private double scaleBound = 3.0;
        private long contextSize;
        private boolean batchNorm;

        Builder() {}

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
         * Sets the number of coupling layers. Defaults to 8.
         *
         * @param couplings at least 1
         * @return this builder
         */
        public Builder optCouplings(int couplings) {
            this.couplings = couplings;
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
         * Sets the bound on |log-scale|. Defaults to 3.
         *
         * @param scaleBound positive
         * @return this builder
         */
        public Builder optScaleBound(double scaleBound) {
            this.scaleBound = scaleBound;
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
         * Whether to put a {@link BatchNormFlow} after every coupling but the last. Defaults to
         * false.
         *
         * @param batchNorm true to add batch-norm flows
         * @return this builder
         */
        public Builder optBatchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /**
         * Builds the flow.
         *
         * @return the sequence of layers
         */
        public FlowSequence build() {
            Preconditions.checkArgument(
                    dimension >= 2,
                    "RealNVP needs dimension >= 2 (a coupling keeps some features and transforms the"
                            + " others), got "
                            + dimension
                            + "; one dimension takes an autoregressive flow (Maf, Nsf"
                            + " autoregressive)");
            Preconditions.checkArgument(couplings >= 1, "RealNVP needs at least one coupling");
            List<FlowBlock> layers = new ArrayList<>();
            for (int i = 0; i < couplings; i++) {
                layers.add(
                        AffineCoupling.builder()
                                .setDimension(dimension)
                                .optInvertMask(i % 2 == 1)
                                .optHiddenSizes(hiddenSizes)
                                .optScaleBound(scaleBound)
                                .optContextSize(contextSize)
                                .build());
                if (batchNorm && i < couplings - 1) {
                    layers.add(BatchNormFlow.builder().build());
                }
            }
            return new FlowSequence(layers);
        }
    }
}
