package io.github.djlflows.zoo.translate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.djlflows.core.NormalizingFlow;

/** Conversions between Java rows ({@code float[][]}, one flattened sample per row) and arrays. */
final class Rows {

    private Rows() {}

    /** The flow behind a zoo model's block. */
    static NormalizingFlow flowOf(Block block) {
        if (block instanceof NormalizingFlow) {
            return (NormalizingFlow) block;
        }
        if (block instanceof SamplingBlock) {
            return ((SamplingBlock) block).getFlow();
        }
        throw new IllegalArgumentException(
                "expected a NormalizingFlow model, got a " + block.getClass().getSimpleName());
    }

    /** Rows to an array of shape (n, event...), checking every row's length. */
    static NDArray toArray(NDManager manager, float[][] rows, Shape eventShape) {
        long size = eventShape.size();
        float[] flat = new float[Math.toIntExact(rows.length * size)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != size) {
                throw new IllegalArgumentException(
                        "row "
                                + i
                                + " has "
                                + (rows[i] == null ? "no" : Integer.toString(rows[i].length))
                                + " values, expected "
                                + size
                                + " (a flattened sample of shape "
                                + eventShape
                                + ")");
            }
            System.arraycopy(rows[i], 0, flat, Math.toIntExact(i * size), rows[i].length);
        }
        return manager.create(flat, new Shape(rows.length).addAll(eventShape));
    }

    /** An array (n, ...) to rows of flattened samples. */
    static float[][] toRows(NDArray array) {
        int n = Math.toIntExact(array.getShape().get(0));
        float[] flat = array.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        int size = n == 0 ? 0 : flat.length / n;
        float[][] rows = new float[n][size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * size, rows[i], 0, size);
        }
        return rows;
    }
}
