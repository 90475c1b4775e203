package io.github.djlflows.core.flows;

import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.coupling.AdditiveCoupling;
import io.github.djlflows.core.elementwise.Scale;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a NICE flow: additive couplings with alternating masks followed by a diagonal {@link
 * Scale}. Use it with a {@link io.github.djlflows.core.distribution.StandardLogistic} base, as in
 * the paper.
 *
 * <p>Cost: one conditioner pass per coupling in both directions.
 *
 * <p>Reference: Dinh, Krueger and Bengio, "NICE: Non-linear Independent Components Estimation",
 * 2014.
 *
 * <pre>{@code
 * FlowSequence flow = Nice.builder().setDimension(784).optCouplings(4).optHiddenSizes(1000, 1000).build();
 * }</pre>
 */
public final class Nice {

    private Nice() {}

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a NICE flow. */
    public static final class Builder {

        private long dimension;
        private int couplings = 4;
        private int[] hiddenSizes = {64, 64};

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
         * Sets the number of additive couplings. Defaults to 4.
         *
         * @param couplings at least 1
         * @return this builder
         */
        public Builder optCouplings(int couplings) {
            this.couplings = couplings;
            return this;
        }

        /**
         * Sets the hidden widths of each conditioner. Defaults to {64, 64}.
         *
         * @param hiddenSizes the widths
         * @return this builder
         */
        public Builder optHiddenSizes(int... hiddenSizes) {
            this.hiddenSizes = hiddenSizes.clone();
            return this;
        }

        /**
         * Builds the flow.
         *
         * @return the sequence of couplings and the final scale
         */
        public FlowSequence build() {
            Preconditions.checkArgument(
                    dimension >= 2, "NICE needs dimension >= 2, got " + dimension);
            Preconditions.checkArgument(couplings >= 1, "NICE needs at least one coupling");
            List<FlowBlock> layers = new ArrayList<>();
            for (int i = 0; i < couplings; i++) {
                layers.add(
                        AdditiveCoupling.builder()
                                .setDimension(dimension)
                                .optMask(io.github.djlflows.core.coupling.MaskType.ALTERNATING)
                                .optInvertMask(i % 2 == 1)
                                .optHiddenSizes(hiddenSizes)
                                .build());
            }
            layers.add(new Scale());
            return new FlowSequence(layers);
        }
    }
}
