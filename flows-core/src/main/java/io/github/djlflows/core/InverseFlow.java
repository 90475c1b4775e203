package io.github.djlflows.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Swaps the two directions of a flow layer: this block's {@code forward} is the wrapped layer's
 * {@code inverse} and vice versa. Turning a MAF layer (parallel density) into an IAF layer
 * (parallel sampling) is {@code maf.inverted()}.
 *
 * <p>Cost: each direction costs what the opposite direction of the wrapped layer costs. Training
 * through the wrapped layer's inverse needs that inverse to be differentiable, which holds for
 * every analytic inverse in this library.
 *
 * <pre>{@code
 * FlowBlock iafLayer = mafLayer.inverted();
 * }</pre>
 */
public class InverseFlow extends FlowBlock {

    private static final byte VERSION = 1;

    private final FlowBlock inner;

    /**
     * Wraps a layer.
     *
     * @param inner the layer whose directions are swapped
     */
    public InverseFlow(FlowBlock inner) {
        super(VERSION);
        this.inner = addChildBlock("inner", inner);
    }

    /**
     * Returns the wrapped layer.
     *
     * @return the layer whose directions are swapped
     */
    public FlowBlock getInner() {
        return inner;
    }

    /** {@inheritDoc} */
    @Override
    public FlowBlock inverted() {
        return inner;
    }

    /** {@inheritDoc} */
    @Override
    public long getContextSize() {
        return inner.getContextSize();
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] innerShapes = inner.getInverseOutputShapes(inputShapes);
        if (inputShapes.length > 1) {
            innerShapes = new Shape[] {innerShapes[0], inputShapes[1]};
        }
        inner.initialize(manager, dataType, innerShapes);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inner.getInverseOutputShapes(inputShapes);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getInverseOutputShapes(Shape[] outputShapes) {
        return inner.getOutputShapes(outputShapes);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        return inner.inverse(
                parameterStore, context == null ? new NDList(x) : new NDList(x, context));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        NDList in = context == null ? new NDList(z) : new NDList(z, context);
        return inner.forward(parameterStore, in, false);
    }
}
