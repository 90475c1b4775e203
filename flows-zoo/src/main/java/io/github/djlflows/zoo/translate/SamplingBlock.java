package io.github.djlflows.zoo.translate;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.djlflows.core.NormalizingFlow;

/**
 * Wraps a trained flow so that a DJL {@code Predictor}, which only calls {@code forward}, runs the
 * generative direction: {@code forward(z)} returns {@code x = f^-1(z)}. Holds no parameters of its
 * own; the wrapped flow's are loaded before wrapping.
 *
 * <pre>{@code
 * model.setBlock(new SamplingBlock(flow));
 * }</pre>
 */
public class SamplingBlock extends AbstractBlock {

    private final NormalizingFlow flow;

    /**
     * Wraps a flow.
     *
     * @param flow the trained flow
     */
    public SamplingBlock(NormalizingFlow flow) {
        this.flow = flow;
    }

    /**
     * The wrapped flow.
     *
     * @return the flow
     */
    public NormalizingFlow getFlow() {
        return flow;
    }

    /** {@inheritDoc} */
    @Override
    public boolean isInitialized() {
        return flow.isInitialized();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(flow.getFlow().inverse(parameterStore, inputs).get(0));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
