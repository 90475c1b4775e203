package io.github.djlflows.core.flows;

import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.residual.PlanarFlow;
import io.github.djlflows.core.residual.RadialFlow;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds chains of planar and radial layers (Rezende and Mohamed's variational flows).
 *
 * <pre>{@code
 * FlowSequence flow = PlanarRadialFlows.builder().optPlanarLayers(8).optRadialLayers(0).build();
 * }</pre>
 */
public final class PlanarRadialFlows {

    private PlanarRadialFlows() {}

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a chain of planar and radial layers. */
    public static final class Builder {

        private int planar = 8;
        private int radial;
        private boolean interleave = true;

        Builder() {}

        /**
         * Sets the number of planar layers. Defaults to 8.
         *
         * @param count at least 0
         * @return this builder
         */
        public Builder optPlanarLayers(int count) {
            this.planar = count;
            return this;
        }

        /**
         * Sets the number of radial layers. Defaults to 0.
         *
         * @param count at least 0
         * @return this builder
         */
        public Builder optRadialLayers(int count) {
            this.radial = count;
            return this;
        }

        /**
         * Whether planar and radial layers alternate (true) or all planar come first. Defaults to
         * true.
         *
         * @param interleave the order
         * @return this builder
         */
        public Builder optInterleave(boolean interleave) {
            this.interleave = interleave;
            return this;
        }

        /**
         * Builds the chain.
         *
         * @return the sequence
         */
        public FlowSequence build() {
            Preconditions.checkArgument(planar >= 0 && radial >= 0, "layer counts must be >= 0");
            Preconditions.checkArgument(planar + radial > 0, "a chain needs at least one layer");
            List<FlowBlock> layers = new ArrayList<>();
            int p = planar;
            int r = radial;
            while (p > 0 || r > 0) {
                if (p > 0 && (!interleave || r == 0 || layers.size() % 2 == 0)) {
                    layers.add(new PlanarFlow());
                    p--;
                } else {
                    layers.add(new RadialFlow());
                    r--;
                }
            }
            return new FlowSequence(layers);
        }
    }
}
