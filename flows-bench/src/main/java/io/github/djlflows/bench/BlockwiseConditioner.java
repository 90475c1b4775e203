package io.github.djlflows.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.djlflows.core.nn.MlpConditioner;

/**
 * One coupling's conditioner as its block-wise pass runs it (see flows-core's {@code
 * CouplingFlow.ConditionerPass}): the MLP on the kept half of the input, for the transformed
 * half's parameters only. The limit benchmark uses it where the flow does, so the limit is the
 * network work the flow actually does.
 */
final class BlockwiseConditioner extends AbstractBlock {

    private final MlpConditioner mlp;
    private final int parameters;
    private final boolean invert;

    BlockwiseConditioner(MlpConditioner mlp, int parameters, boolean invert) {
        this.mlp = addChildBlock("mlp", mlp);
        this.parameters = parameters;
        this.invert = invert;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        mlp.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        long split = (x.get(1) + 1) / 2;
        return new Shape[] {new Shape(x.get(0), parameters * (invert ? split : x.get(1) - split))};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head();
        long split = (x.getShape().get(1) + 1) / 2;
        NDList blocks = x.split(new long[] {split}, 1);
        // as CouplingFlow: without inversion the first block conditions and the second is transformed
        NDArray kept = blocks.get(invert ? 1 : 0);
        long transformed = blocks.get(invert ? 0 : 1).getShape().get(1);
        return new NDList(
                mlp.forwardBlock(
                        parameterStore, kept, invert ? split : 0, parameters, invert ? 0 : split, transformed, training));
    }
}
