package io.github.djlflows.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Helpers for the per-sample log-determinants that every {@link FlowBlock} returns, shape (batch).
 *
 * <pre>{@code
 * NDArray logDet = LogDets.sumPerSample(logScale); // (batch, dim) -> (batch)
 * }</pre>
 */
public final class LogDets {

    private LogDets() {}

    /**
     * Sums every non-batch axis, giving one value per sample.
     *
     * @param array an array of shape (batch, ...)
     * @return an array of shape (batch)
     */
    public static NDArray sumPerSample(NDArray array) {
        Shape shape = array.getShape();
        if (shape.dimension() == 1) {
            return array;
        }
        if (shape.dimension() == 2) {
            return array.sum(new int[] {1});
        }
        return array.reshape(shape.get(0), -1).sum(new int[] {1});
    }

    /**
     * A log-determinant that is the same for every sample: {@code total} broadcast to (batch).
     *
     * @param like an array of the batch, (batch, ...)
     * @param total a scalar
     * @return an array of shape (batch) holding {@code total}
     */
    public static NDArray perSample(NDArray like, NDArray total) {
        return total.add(zeros(like));
    }

    /**
     * The log-determinant of a volume-preserving layer: zeros of shape (batch).
     *
     * @param like an array of the batch, (batch, ...)
     * @return zeros of shape (batch) in {@code like}'s data type
     */
    public static NDArray zeros(NDArray like) {
        return like.getManager().zeros(new Shape(like.getShape().get(0)), like.getDataType());
    }
}
