package io.github.djlflows.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.internal.Tensors;
import java.util.List;

/**
 * The MLP of {@link Conditioners#mlp}: linear layers with ReLU between them, saved exactly as the
 * {@link SequentialBlock} it is. Besides the ordinary forward pass it evaluates the network on a
 * block of its input for a block of its outputs ({@link #forwardBlock}), which is what a coupling
 * with a contiguous mask needs: the masked input is zero outside the kept block, and only the
 * transformed block's parameters are used. That pass computes the same values with the first
 * layer's kept columns and the last layer's used rows only, so it skips the mask multiply, half
 * of the first and last matrix products, and the slicing of the full output (whose backward pass
 * writes a zero-filled gradient of the whole output).
 *
 * <pre>{@code
 * MlpConditioner net = Conditioners.mlp(2 * dim, 64, 64);
 * }</pre>
 */
public class MlpConditioner extends SequentialBlock {

    MlpConditioner() {}

    /**
     * Whether {@link #forwardBlock} applies: the first and last layers are {@link Linear} (a
     * caller may have added layers to this sequential block).
     *
     * @return true if the network starts and ends with a linear layer
     */
    public boolean supportsBlocks() {
        List<Block> layers = getChildren().values();
        return layers.size() >= 2
                && layers.get(0) instanceof Linear
                && layers.get(layers.size() - 1) instanceof Linear;
    }

    /**
     * Evaluates the network as if its input were {@code block} at columns {@code [inputFrom,
     * inputFrom + block width)} and zero elsewhere, and returns output columns {@code [outputFrom,
     * outputFrom + outputWidth)} of each of the {@code groups} parameter-major groups of the
     * output (the output has {@code groups * G} columns). Same values as {@link #forward} on the
     * zero-padded input, restricted to those columns. Requires {@link #supportsBlocks()}.
     *
     * @param parameterStore the parameter store
     * @param block the nonzero input columns, (batch, width)
     * @param inputFrom the first column of {@code block} in the full input
     * @param groups the number of parameter groups P of the output
     * @param outputFrom the first column wanted in each group
     * @param outputWidth the number of columns wanted in each group
     * @param training true for a training pass
     * @return the wanted outputs, (batch, P * outputWidth), group by group (a bijection that reads
     *     its parameters by group takes them with one split, others reshape to (batch, P,
     *     outputWidth)), owned by {@code block}'s manager
     */
    public NDArray forwardBlock(
            ParameterStore parameterStore,
            NDArray block,
            long inputFrom,
            int groups,
            long outputFrom,
            long outputWidth,
            boolean training) {
        List<Block> layers = getChildren().values();
        Linear first = (Linear) layers.get(0);
        NDArray w1 = Tensors.param(parameterStore, parameter(first, "weight"), block, training);
        long width = block.getShape().get(1);
        NDArray kept = w1.split(new long[] {inputFrom, inputFrom + width}, 1).get(1);
        NDArray bias1 = parameterStore.getValue(parameter(first, "bias"), block.getDevice(), training);
        NDArray h = Linear.linear(block, kept, bias1).singletonOrThrow();
        for (int i = 1; i < layers.size() - 1; i++) {
            h = layers.get(i).forward(parameterStore, new NDList(h), training).singletonOrThrow();
        }
        Linear last = (Linear) layers.get(layers.size() - 1);
        NDArray w = Tensors.param(parameterStore, parameter(last, "weight"), block, training);
        NDArray b = Tensors.param(parameterStore, parameter(last, "bias"), block, training);
        // rows p * G + j for every group p and wanted column j, through one shared index
        long groupSize = w.getShape().get(0) / groups;
        double[] rows = new double[Math.toIntExact(groups * outputWidth)];
        for (int p = 0; p < groups; p++) {
            for (int j = 0; j < outputWidth; j++) {
                rows[Math.toIntExact(p * outputWidth + j)] = p * groupSize + outputFrom + j;
            }
        }
        NDArray index = Tensors.shared(block, rows, new Shape(rows.length), DataType.INT64);
        NDIndex pick = new NDIndex("{}", index);
        return Linear.linear(h, w.get(pick), b.get(pick)).singletonOrThrow();
    }

    private static Parameter parameter(Linear layer, String name) {
        return layer.getParameters().get(name);
    }
}
