package io.github.djlflows.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.internal.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A chain of flow layers: {@code forward} runs them left to right, {@link #inverse} right to left,
 * and the log-determinants are summed.
 *
 * <p>Cost: the sum of its layers' costs in each direction. A context, when given, is passed to every
 * layer that takes one.
 *
 * <pre>{@code
 * FlowSequence flow = FlowSequence.of(couplingA, new ReversePermutation(), couplingB);
 * }</pre>
 */
public class FlowSequence extends FlowBlock {

    private static final byte VERSION = 1;

    private final List<FlowBlock> layers;
    private final long contextSize;

    /**
     * Creates a sequence of the given layers.
     *
     * @param layers the layers, in the normalizing (data to latent) order
     */
    public FlowSequence(List<? extends FlowBlock> layers) {
        super(VERSION);
        Preconditions.checkArgument(!layers.isEmpty(), "a FlowSequence needs at least one layer");
        this.layers = new ArrayList<>();
        long context = 0;
        int i = 0;
        for (FlowBlock layer : layers) {
            this.layers.add(addChildBlock(String.format("%02d%s", i++, layer.getClass().getSimpleName()), layer));
            long c = layer.getContextSize();
            if (c > 0) {
                Preconditions.checkArgument(
                        context == 0 || context == c,
                        "all conditional layers of a sequence must take the same context size, got "
                                + context
                                + " and "
                                + c);
                context = c;
            }
        }
        this.contextSize = context;
    }

    /**
     * Creates a sequence of the given layers.
     *
     * @param layers the layers, in the normalizing (data to latent) order
     * @return the sequence
     */
    public static FlowSequence of(FlowBlock... layers) {
        return new FlowSequence(List.of(layers));
    }

    /**
     * Returns the layers in normalizing order.
     *
     * @return an unmodifiable view of the layers
     */
    public List<FlowBlock> getLayers() {
        return Collections.unmodifiableList(layers);
    }

    /** {@inheritDoc} */
    @Override
    public long getContextSize() {
        return contextSize;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (FlowBlock layer : layers) {
            Shape[] shapes = layerShapes(layer, shape, inputShapes);
            layer.initialize(manager, dataType, shapes);
            shape = layer.getOutputShapes(shapes)[0];
        }
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = inputShapes[0];
        for (FlowBlock layer : layers) {
            shape = layer.getOutputShapes(layerShapes(layer, shape, inputShapes))[0];
        }
        return new Shape[] {shape, new Shape(inputShapes[0].get(0))};
    }

    private static Shape[] layerShapes(FlowBlock layer, Shape shape, Shape[] inputShapes) {
        if (layer.getContextSize() > 0 && inputShapes.length > 1) {
            return new Shape[] {shape, inputShapes[1]};
        }
        return new Shape[] {shape};
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        return chain(x, context, (layer, in) -> layer.forward(parameterStore, in, training), false);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        return chain(z, context, (layer, in) -> layer.inverse(parameterStore, in), true);
    }

    /**
     * Runs the layers in order (or in reverse), each in a child manager of the input's manager,
     * and sums the log-dets. A layer's temporaries are freed when it ends, and each intermediate
     * output once the next layer has run, so a pass holds the memory of about one layer instead
     * of all of them until the caller closes the batch (autograd keeps what a backward pass
     * needs). Outputs owned by other managers are left where they are.
     */
    private NDList chain(
            NDArray input,
            NDArray context,
            BiFunction<FlowBlock, NDList, NDList> step,
            boolean reverse) {
        NDManager home = input.getManager();
        NDArray x = input;
        NDArray logDet = null;
        for (int i = 0; i < layers.size(); i++) {
            FlowBlock layer = layers.get(reverse ? layers.size() - 1 - i : i);
            NDArray previous = x;
            NDArray previousLogDet = logDet;
            try (NDManager scope = home.newSubManager()) {
                if (x.getManager() == home) {
                    x.tempAttach(scope);
                }
                NDList r = step.apply(layer, inputsFor(layer, x, context));
                x = Tensors.keep(r.get(0), scope, home);
                NDArray sum = logDet == null ? r.get(1) : logDet.add(r.get(1));
                logDet = Tensors.keep(sum, scope, home);
            }
            // the previous output and partial sum are this pass's own arrays: free them now
            if (previous != input && previous != x && previous.getManager() == home) {
                previous.close();
            }
            if (previousLogDet != null && previousLogDet != logDet && previousLogDet.getManager() == home) {
                previousLogDet.close();
            }
        }
        return result(x, logDet);
    }

    private static NDList inputsFor(FlowBlock layer, NDArray x, NDArray context) {
        return layer.getContextSize() > 0 ? new NDList(x, context) : new NDList(x);
    }
}
