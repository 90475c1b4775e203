package io.github.djlflows.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of flow layers: {@code forward} runs them left to right, {@link #inverse} right to left,
 * and the log-determinants are summed.
 *
 * <p>Cost: the sum of its layers' costs in each direction; a pass holds about one layer's
 * intermediates at a time. A context, when given, is passed to every layer that takes one.
 *
 * <pre>{@code
 * FlowSequence flow = FlowSequence.of(couplingA, new ReversePermutation(), couplingB);
 * }</pre>
 */
public class FlowSequence extends FlowBlock {

    private static final byte VERSION = 1;

    private final List<FlowBlock> layers = new ArrayList<>();
    private final long contextSize;

    /**
     * Creates a sequence of the given layers, in the normalizing (data to latent) order.
     *
     * @param layers the layers, at least one; the conditional ones must share a context size
     */
    public FlowSequence(List<? extends FlowBlock> layers) {
        super(VERSION);
        Preconditions.checkArgument(!layers.isEmpty(), "a FlowSequence needs at least one layer");
        long context = 0;
        for (FlowBlock layer : layers) {
            String name =
                    String.format("%02d%s", this.layers.size(), layer.getClass().getSimpleName());
            this.layers.add(addChildBlock(name, layer));
            long c = layer.getContextSize();
            Preconditions.checkArgument(
                    c == 0 || context == 0 || context == c,
                    "the conditional layers take different context sizes: " + context + ", " + c);
            context = Math.max(context, c);
        }
        this.contextSize = context;
    }

    /**
     * Creates a sequence of the given layers, in the normalizing (data to latent) order.
     *
     * @param layers the layers
     * @return the sequence
     */
    public static FlowSequence of(FlowBlock... layers) {
        return new FlowSequence(List.of(layers));
    }

    /**
     * Returns the layers in normalizing order.
     *
     * @return an unmodifiable list of the layers
     */
    public List<FlowBlock> getLayers() {
        return List.copyOf(layers);
    }

    @Override
    public long getContextSize() {
        return contextSize;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType type, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (FlowBlock layer : layers) {
            Shape[] shapes = layerShapes(layer, shape, inputShapes);
            layer.initialize(manager, type, shapes);
            shape = layer.getOutputShapes(shapes)[0];
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = inputShapes[0];
        for (FlowBlock layer : layers) {
            shape = layer.getOutputShapes(layerShapes(layer, shape, inputShapes))[0];
        }
        return new Shape[] {shape, new Shape(inputShapes[0].get(0))};
    }

    @Override
    public Shape[] getInverseOutputShapes(Shape[] outputShapes) {
        Shape shape = outputShapes[0];
        for (int i = layers.size() - 1; i >= 0; i--) {
            FlowBlock layer = layers.get(i);
            shape = layer.getInverseOutputShapes(layerShapes(layer, shape, outputShapes))[0];
        }
        return new Shape[] {shape, new Shape(outputShapes[0].get(0))};
    }

    private static Shape[] layerShapes(FlowBlock layer, Shape shape, Shape[] inputShapes) {
        boolean context = layer.getContextSize() > 0 && inputShapes.length > 1;
        return context ? new Shape[] {shape, inputShapes[1]} : new Shape[] {shape};
    }

    @Override
    protected NDList forwardFlow(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        return ScopedChain.run(layers, ps, x, context, training, false);
    }

    @Override
    protected NDList inverseFlow(ParameterStore ps, NDArray z, NDArray context) {
        return ScopedChain.run(layers, ps, z, context, false, true);
    }
}
