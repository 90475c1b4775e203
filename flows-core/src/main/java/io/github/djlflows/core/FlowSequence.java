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
        return chain(
                x,
                context,
                (layer, in) -> layer.forward(parameterStore, in, training),
                (layer, first, second) -> layer.forwardBlocks(parameterStore, first, second, training),
                false);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        return chain(
                z,
                context,
                (layer, in) -> layer.inverse(parameterStore, in),
                (layer, first, second) -> layer.inverseBlocks(parameterStore, first, second),
                true);
    }

    /** One direction of a layer on an input given as its two blocks. */
    private interface BlockStep {
        NDList apply(FlowBlock layer, NDArray first, NDArray second);
    }

    /**
     * Runs the layers in order (or in reverse), each in a child manager of the input's manager,
     * and sums the log-dets. A layer's temporaries are freed when it ends, and each intermediate
     * output once the next layer has run, so a pass holds the memory of about one layer instead
     * of all of them until the caller closes the batch (autograd keeps what a backward pass
     * needs). Outputs owned by other managers are left where they are.
     *
     * <p>Layers that take their input as two blocks ({@link FlowBlock#blockSplit}: couplings in
     * their block-wise pass) get it so, and pass their output on as two blocks, so a run of them splits
     * once and joins once instead of joining and re-splitting between every two (a copy of the
     * whole input forward, and another backward, per boundary).
     */
    private NDList chain(
            NDArray input,
            NDArray context,
            BiFunction<FlowBlock, NDList, NDList> step,
            BlockStep blockStep,
            boolean reverse) {
        NDManager home = input.getManager();
        // the running value: one array, or the two blocks of a split
        NDArray[] state = {input};
        NDArray logDet = null;
        for (int i = 0; i < layers.size(); i++) {
            FlowBlock layer = layers.get(reverse ? layers.size() - 1 - i : i);
            NDArray[] previous = state;
            NDArray previousLogDet = logDet;
            try (NDManager scope = home.newSubManager()) {
                for (NDArray array : state) {
                    if (array.getManager() == home) {
                        array.tempAttach(scope);
                    }
                }
                long split = blockSplit(layer, state, context);
                NDArray layerLogDet;
                if (split >= 0) {
                    NDArray[] blocks = state.length == 2 ? state : splitAt(state[0], split);
                    NDList r = blockStep.apply(layer, blocks[0], blocks[1]);
                    state = new NDArray[] {Tensors.keep(r.get(0), scope, home), Tensors.keep(r.get(1), scope, home)};
                    layerLogDet = r.get(2);
                } else {
                    NDArray x = state.length == 2 ? join(state) : state[0];
                    NDList r = step.apply(layer, inputsFor(layer, x, context));
                    state = new NDArray[] {Tensors.keep(r.get(0), scope, home)};
                    layerLogDet = r.get(1);
                }
                logDet = Tensors.keep(logDet == null ? layerLogDet : logDet.add(layerLogDet), scope, home);
            }
            // the previous output and partial sum are this pass's own arrays: free them now
            freeIntermediates(previous, state, input, home);
            if (previousLogDet != null && previousLogDet != logDet && previousLogDet.getManager() == home) {
                previousLogDet.close();
            }
        }
        if (state.length == 1) {
            return result(state[0], logDet);
        }
        NDArray out = join(state);
        freeIntermediates(state, new NDArray[] {out}, input, home);
        return result(out, logDet);
    }

    /** The split column where {@code layer} takes its input as two blocks, else -1. */
    private static long blockSplit(FlowBlock layer, NDArray[] state, NDArray context) {
        Shape shape = state.length == 2 ? joinedShape(state) : state[0].getShape();
        boolean hasContext = context != null && layer.getContextSize() > 0;
        long split = layer.blockSplit(shape, hasContext);
        boolean sameSplit = state.length == 1 || state[0].getShape().get(1) == split;
        return sameSplit ? split : -1;
    }

    private static Shape joinedShape(NDArray[] blocks) {
        Shape first = blocks[0].getShape();
        return new Shape(first.get(0), first.get(1) + blocks[1].getShape().get(1));
    }

    private static NDArray[] splitAt(NDArray x, long split) {
        NDList blocks = x.split(new long[] {split}, 1);
        return new NDArray[] {blocks.get(0), blocks.get(1)};
    }

    private static NDArray join(NDArray[] blocks) {
        return blocks[0].concat(blocks[1], 1);
    }

    /** Closes the arrays of {@code previous} that this pass made and no longer needs. */
    private static void freeIntermediates(NDArray[] previous, NDArray[] current, NDArray input, NDManager home) {
        for (NDArray array : previous) {
            boolean live = array == input;
            for (NDArray kept : current) {
                live |= array == kept;
            }
            if (!live && array.getManager() == home) {
                array.close();
            }
        }
    }

    private static NDList inputsFor(FlowBlock layer, NDArray x, NDArray context) {
        return layer.getContextSize() > 0 ? new NDList(x, context) : new NDList(x);
    }
}
