package io.github.djlflows.core.elementwise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Parameters;
import io.github.djlflows.core.internal.Tensors;

/**
 * A learnable elementwise affine map {@code z = x * exp(s) + t}, one (s, t) per feature; log-det =
 * sum(s) for every sample. Starts as the identity (s = t = 0).
 *
 * <p>Cost: O(D) in both directions; analytic inverse {@code x = (z - t) * exp(-s)}.
 *
 * <pre>{@code
 * ElementwiseAffine layer = ElementwiseAffine.builder().build();
 * }</pre>
 */
public class ElementwiseAffine extends FlowBlock {

    private static final byte VERSION = 1;

    private final Parameter logScale;
    private final Parameter shift;

    /**
     * Creates the layer.
     *
     * @param withShift whether to learn the shift t (false gives NICE's {@link Scale})
     */
    protected ElementwiseAffine(boolean withShift) {
        super(VERSION);
        logScale = addParameter(Parameters.zeros("logScale"));
        shift = withShift ? addParameter(Parameters.zeros("shift")) : null;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape features = inputShapes[0].slice(1);
        logScale.setShape(features);
        if (shift != null) {
            shift.setShape(features);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        NDArray s = Tensors.param(parameterStore, logScale, x, training);
        NDArray z = x.mul(s.exp());
        if (shift != null) {
            z = z.add(parameterStore.getValue(shift, x.getDevice(), training));
        }
        return result(z, logDet(x, s));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        NDArray s = Tensors.param(parameterStore, logScale, z, false);
        NDArray centred = z;
        if (shift != null) {
            centred = z.sub(parameterStore.getValue(shift, z.getDevice(), false));
        }
        NDArray x = centred.mul(s.neg().exp());
        return result(x, logDet(z, s).neg());
    }

    private static NDArray logDet(NDArray like, NDArray s) {
        return LogDets.perSample(like, s.sum());
    }

    /** Builds an {@link ElementwiseAffine}. */
    public static final class Builder {

        private boolean withShift = true;

        Builder() {}

        /**
         * Whether to learn a shift as well as a scale. Defaults to true.
         *
         * @param withShift true to learn t
         * @return this builder
         */
        public Builder optShift(boolean withShift) {
            this.withShift = withShift;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public ElementwiseAffine build() {
            return new ElementwiseAffine(withShift);
        }
    }
}
