package io.github.djlflows.zoo.translate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.image.Dequantize;
import io.github.djlflows.core.image.VariationalDequantize;

/**
 * Conversions between Java rows ({@code float[][]}, one flattened sample per row) and arrays.
 *
 * <pre>{@code
 * float[][] rows = Rows.toRows(samples);
 * }</pre>
 */
public final class Rows {

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

    /**
     * Rows to an array of shape (n, event...), checking every row's length.
     *
     * @param manager the manager that owns the result
     * @param rows the rows
     * @param eventShape the shape of one sample
     * @return the array
     */
    public static NDArray toArray(NDManager manager, float[][] rows, Shape eventShape) {
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
            for (int j = 0; j < rows[i].length; j++) {
                if (!Float.isFinite(rows[i][j])) {
                    throw new IllegalArgumentException(
                            "row "
                                    + i
                                    + " column "
                                    + j
                                    + " is "
                                    + rows[i][j]
                                    + ", expected a finite float (|x| < 3.4e38)");
                }
            }
            System.arraycopy(rows[i], 0, flat, Math.toIntExact(i * size), rows[i].length);
        }
        return manager.create(flat, new Shape(rows.length).addAll(eventShape));
    }

    /**
     * Rows for a flow: as {@link #toArray(NDManager, float[][], Shape)}, and for a model of
     * discrete data (its first layer a {@code Dequantize} or a {@code VariationalDequantize} of L
     * levels) every value must be a level in [0, L - 1]; for 8-bit images also not pixels already
     * scaled to [0, 1].
     *
     * @param manager the manager that owns the result
     * @param rows the rows
     * @param flow the flow that will read them
     * @return the array
     */
    public static NDArray toArray(NDManager manager, float[][] rows, NormalizingFlow flow) {
        Shape event = flow.getBase().getEventShape();
        NDArray array = toArray(manager, rows, event);
        int levels = levelsOf(flow);
        if (levels > 0) {
            boolean allUnit = true;
            boolean fractional = false;
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < rows[i].length; j++) {
                    float v = rows[i][j];
                    if (v < 0 || v > levels - 1) {
                        array.close();
                        throw new IllegalArgumentException(
                                "this model takes "
                                        + levelsInWords(levels)
                                        + "; row "
                                        + i
                                        + " column "
                                        + j
                                        + " is "
                                        + v);
                    }
                    allUnit &= v <= 1;
                    fractional |= v != Math.rint(v);
                }
            }
            if (levels == Dequantize.LEVELS && allUnit && fractional) {
                array.close();
                throw new IllegalArgumentException(
                        "this model takes 8-bit pixel values in [0, 255], got values all in [0, 1]"
                                + " with fractions: pass the raw 0-255 pixels, not pixels scaled to [0, 1]");
            }
        }
        return array;
    }

    /**
     * The number of levels L of the discrete data a flow models: that of its first layer when it is
     * a {@code Dequantize} (8-bit pixels, 256) or a {@code VariationalDequantize}, so the flow
     * takes values in [0, L - 1]; 0 for a flow of continuous data.
     *
     * @param flow the flow
     * @return L, or 0
     */
    public static int levelsOf(NormalizingFlow flow) {
        ai.djl.nn.Block first = flow.getFlow();
        while (first instanceof io.github.djlflows.core.FlowSequence
                && !first.getChildren().isEmpty()) {
            first = first.getChildren().valueAt(0);
        }
        if (first instanceof Dequantize) {
            return Dequantize.LEVELS;
        }
        return first instanceof VariationalDequantize
                ? ((VariationalDequantize) first).getLevels()
                : 0;
    }

    /**
     * What a flow of L levels takes, in a word or two: "8-bit pixel values" or "levels".
     *
     * @param levels L
     * @return the words
     */
    public static String levelsNoun(int levels) {
        return levels == Dequantize.LEVELS ? "8-bit pixel values" : "levels";
    }

    /** {@link #levelsNoun} with the range: "8-bit pixel values in [0, 255]". */
    private static String levelsInWords(int levels) {
        return levelsNoun(levels) + " in [0, " + (levels - 1) + "]";
    }

    /**
     * An array (n, ...) to rows of flattened samples.
     *
     * @param array the array
     * @return one row per sample
     */
    public static float[][] toRows(NDArray array) {
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
