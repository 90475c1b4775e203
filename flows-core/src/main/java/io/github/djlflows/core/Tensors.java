package io.github.djlflows.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Small array helpers shared by the flow layers.
 *
 * <p>DJL attaches an operation's result to the manager of its first operand. Arithmetic that starts
 * from a parameter (for example {@code logScale.exp()}) would therefore land in the model's manager
 * and leak once per batch; {@link #local(NDArray, NDArray)} moves such a temporary to the input's
 * manager so it is freed with the batch.
 */
public final class Tensors {

    private Tensors() {}

    /**
     * Attaches a temporary result to the manager of {@code like} and returns it.
     *
     * @param like an array whose manager owns the current batch
     * @param temporary a freshly computed array
     * @return {@code temporary}, now owned by {@code like}'s manager
     */
    public static NDArray local(NDArray like, NDArray temporary) {
        NDManager manager = like.getManager();
        if (temporary.getManager() != manager) {
            temporary.attach(manager);
        }
        return temporary;
    }

    /**
     * Returns a parameter's value as a view owned by {@code like}'s manager, so that every
     * operation starting from it lands in the batch's manager, never in the model's. Gradients flow
     * through the view into the parameter.
     *
     * @param parameterStore the parameter store
     * @param parameter the parameter
     * @param like an array of the current batch
     * @param training true for a training pass
     * @return the parameter value, as a view attached to {@code like}'s manager
     */
    public static NDArray param(
            ParameterStore parameterStore, Parameter parameter, NDArray like, boolean training) {
        NDArray value = parameterStore.getValue(parameter, like.getDevice(), training);
        NDArray view = value.reshape(value.getShape());
        view.attach(like.getManager());
        return view;
    }

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
     * Creates a constant array of the given values, shape and data type on {@code like}'s manager
     * and device.
     *
     * @param like an array giving manager, device and data type
     * @param values the values, row-major
     * @param shape the shape
     * @return the constant array
     */
    public static NDArray constant(NDArray like, float[] values, Shape shape) {
        NDArray array = like.getManager().create(values, shape).toDevice(like.getDevice(), false);
        DataType type = like.getDataType();
        return type == DataType.FLOAT32 ? array : array.toType(type, false);
    }

    /**
     * The number of features of one sample (the product of the non-batch dimensions).
     *
     * @param shape a shape (batch, ...)
     * @return the product of all dimensions but the first
     */
    public static long featureSize(Shape shape) {
        return shape.slice(1).size();
    }
}
