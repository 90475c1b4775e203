package io.github.djlflows.core.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Engine workarounds shared by the flow layers; not API (the convention of DJL's {@code
 * ai.djl.ndarray.internal}): these helpers may change or go without notice.
 *
 * <p>DJL attaches an operation's result to the manager of its first operand. Arithmetic that starts
 * from a parameter (for example {@code logScale.exp()}) would therefore land in the model's manager
 * and leak once per batch; {@link #local(NDArray, NDArray)} moves such a temporary to the input's
 * manager so it is freed with the batch.
 */
public final class Tensors {

    // Shared constants (the factors of mul/div/add, small index and offset tables), built once per
    // (values, shape, data type, device) in a manager of their own that lives as long as the JVM:
    // a scalar saves a native torch::full per call (about as costly as the operation itself), and
    // DJL's x.add(1) costs a Java direct buffer, a from_blob
    // and a close. Bounded, so constants computed at run time (a sampling temperature, say)
    // cannot grow it without limit.
    private static final int CONSTANT_CACHE_LIMIT = 512;
    private static final Map<ConstantKey, NDArray> CONSTANTS = new ConcurrentHashMap<>();
    private static final Map<Device, NDManager> CONSTANT_MANAGERS = new ConcurrentHashMap<>();

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
     * An owned 0-dimensional constant of {@code like}'s data type, device and manager.
     *
     * <p>Why not {@code x.mul(0.5)}: DJL's PyTorch engine turns a Java number into a tensor that
     * borrows a Java direct buffer ({@code from_blob}) and closes it right after the operation.
     * Autograd keeps that tensor for the backward pass of {@code mul}, {@code div} and {@code pow},
     * so once the buffer is garbage-collected the gradient reads freed memory (seen here as random
     * NaN gradients in float32 training). A cloned scalar owns its memory.
     *
     * @param like the array giving data type, device and manager
     * @param value the value
     * @return the scalar
     */
    public static NDArray scalar(NDArray like, double value) {
        return ownedScalar(like.getManager(), like.getDataType(), like.getDevice(), value);
    }

    private static NDArray ownedScalar(
            NDManager manager, DataType type, Device device, double value) {
        if (type == DataType.FLOAT32 || (double) (float) value == value) {
            // Fast path, one native call (torch::full, memory owned by torch). DJL's full takes a
            // float, so it is exact here: float32 rounds value once either way, and a float64
            // constant is only built this way when the float holds it exactly.
            return manager.full(new Shape(), (float) value, type).toDevice(device, false);
        }
        try (NDArray borrowed = manager.create(value)) {
            NDArray typed = borrowed.toType(type, false).toDevice(device, false);
            NDArray owned = typed.duplicate();
            if (typed != borrowed) {
                typed.close();
            }
            return owned;
        }
    }

    /**
     * {@code array * value}, safe for autograd (see {@link #scalar}).
     *
     * @param array the array
     * @param value the factor
     * @return the product
     */
    public static NDArray mul(NDArray array, double value) {
        return array.mul(shared(array, value));
    }

    /**
     * {@code array / value}, safe for autograd (see {@link #scalar}).
     *
     * @param array the array
     * @param value the divisor
     * @return the quotient
     */
    public static NDArray div(NDArray array, double value) {
        return array.mul(shared(array, 1.0 / value));
    }

    /**
     * {@code array + value}, with a shared constant (see {@link #shared(NDArray, double)}).
     *
     * @param array the array
     * @param value the summand
     * @return the sum, owned by {@code array}'s manager
     */
    public static NDArray add(NDArray array, double value) {
        return array.add(shared(array, value));
    }

    /**
     * A shared, owned 0-dimensional constant of {@code like}'s data type on its device, for use as
     * the <em>second</em> operand of an operation only: the result of an operation belongs to its
     * first operand's manager, and the constant belongs to a manager that is never closed. Built
     * once per (value, data type, device); never close it.
     *
     * @param like an array giving data type and device
     * @param value the value
     * @return the constant
     */
    public static NDArray shared(NDArray like, double value) {
        Device device = like.getDevice();
        DataType type = like.getDataType();
        return cached(
                new ConstantKey(new double[] {value}, new Shape(), type, device),
                manager -> ownedScalar(manager, type, device, value),
                () -> scalar(like, value),
                like);
    }

    /**
     * A shared, owned constant array of the given values, shape and data type on {@code like}'s
     * device; same rules as {@link #shared(NDArray, double)} (second operand only, never closed).
     *
     * @param like an array giving the device
     * @param values the values, row-major
     * @param shape the shape
     * @param type the data type
     * @return the constant
     */
    public static NDArray shared(NDArray like, double[] values, Shape shape, DataType type) {
        Device device = like.getDevice();
        return cached(
                new ConstantKey(values.clone(), shape, type, device),
                manager -> build(manager, values, shape, type, device),
                () -> local(like, build(like.getManager(), values, shape, type, device)),
                like);
    }

    /**
     * The cached constant of {@code key}, built on first use in the device's constant manager
     * (taken out of any open {@link NDScope}, which would otherwise close it), or a per-call array
     * from {@code uncached} once the cache is full.
     */
    private static NDArray cached(
            ConstantKey key,
            Function<NDManager, NDArray> builder,
            Supplier<NDArray> uncached,
            NDArray like) {
        NDArray cached = CONSTANTS.get(key);
        if (cached != null && !cached.isReleased()) {
            return cached;
        }
        if (cached == null && CONSTANTS.size() >= CONSTANT_CACHE_LIMIT) {
            return uncached.get();
        }
        NDArray constant = builder.apply(constantManager(like));
        NDScope.unregister(constant);
        NDArray previous =
                CONSTANTS.compute(
                        key, (k, old) -> old == null || old.isReleased() ? constant : old);
        if (previous != constant) {
            constant.close();
        }
        return previous;
    }

    private static NDManager constantManager(NDArray like) {
        return CONSTANT_MANAGERS.computeIfAbsent(
                like.getDevice(),
                d -> NDManager.newBaseManager(d, like.getManager().getEngine().getEngineName()));
    }

    /** An owned (copied out of the Java buffer) array on {@code manager}'s device. */
    private static NDArray build(
            NDManager manager, double[] values, Shape shape, DataType type, Device device) {
        try (NDArray borrowed = manager.create(values, shape)) {
            NDArray typed = borrowed.toType(type, false);
            NDArray moved = typed.toDevice(device, false);
            if (moved != typed && typed != borrowed) {
                typed.close();
            }
            return moved == borrowed ? borrowed.duplicate() : moved;
        }
    }

    /**
     * {@code log sum exp} over one axis, shifted by the (gradient-free) maximum so that it neither
     * overflows nor underflows; the engine has no logsumexp. The axis is removed.
     *
     * @param values the log-values
     * @param axis the axis to reduce
     * @return log of the sum of exp(values) over the axis
     */
    public static NDArray logSumExp(NDArray values, int axis) {
        NDArray max = values.max(new int[] {axis}, true).stopGradient();
        return values.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    /**
     * {@code 1 / array}, safe for autograd (see {@link #scalar}).
     *
     * @param array the array
     * @return the elementwise reciprocal
     */
    public static NDArray reciprocal(NDArray array) {
        return scalar(array, 1.0).div(array);
    }

    /**
     * Whether a cached constant can serve a pass over {@code like}: it is still open and has {@code
     * like}'s data type, on the device of {@code like}'s manager (compared through the managers,
     * which costs no native call).
     *
     * @param cached a cached constant, or null
     * @param like an array of the current pass
     * @return true if the constant can be used with {@code like}
     */
    public static boolean fits(NDArray cached, NDArray like) {
        return cached != null
                && !cached.isReleased()
                && cached.getDataType() == like.getDataType()
                && cached.getManager().getDevice().equals(like.getManager().getDevice());
    }

    /**
     * Returns a parameter's value as an array owned by {@code like}'s manager, so that every
     * operation starting from it lands in the batch's manager, never in the model's. Gradients flow
     * through it into the parameter.
     *
     * @param parameterStore the parameter store
     * @param parameter the parameter
     * @param like an array of the current batch
     * @param training true for a training pass
     * @return the parameter value, attached to {@code like}'s manager
     */
    public static NDArray param(
            ParameterStore parameterStore, Parameter parameter, NDArray like, boolean training) {
        NDArray value = parameterStore.getValue(parameter, like.getDevice(), training);
        // 0 + value: the result is a new array (so the model's manager never sees one, even when
        // it is capped), built from the shared zero and moved to the batch's manager
        return local(like, shared(like, 0).add(value));
    }

    /**
     * Moves a result out of a short-lived child manager: if {@code array} belongs to {@code scope},
     * it is attached to {@code home}, so closing the scope (which frees the pass's other
     * temporaries) keeps it. Arrays of other managers are left where they are.
     *
     * @param array a result computed inside the scope
     * @param scope the child manager about to be closed
     * @param home the manager that keeps the result
     * @return {@code array}
     */
    public static NDArray keep(NDArray array, NDManager scope, NDManager home) {
        if (array.getManager() == scope) {
            array.attach(home);
        }
        return array;
    }

    /**
     * Creates a constant array that owns its memory, on {@code manager} (and its device).
     *
     * @param manager the manager that owns the result
     * @param values the values, row-major
     * @param shape the shape
     * @param type the data type
     * @return the constant array
     */
    public static NDArray constant(NDManager manager, float[] values, Shape shape, DataType type) {
        // the borrowed (from_blob) array is copied into torch-owned memory, so autograd may keep
        // the constant for a backward pass after the Java buffer is gone (see scalar)
        try (NDArray borrowed = manager.create(values, shape)) {
            NDArray typed = borrowed.toType(type, false);
            return typed == borrowed ? borrowed.duplicate() : typed;
        }
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

    /** The identity of a shared constant. */
    private static final class ConstantKey {

        private final double[] values;
        private final Shape shape;
        private final DataType type;
        private final Device device;

        ConstantKey(double[] values, Shape shape, DataType type, Device device) {
            this.values = values;
            this.shape = shape;
            this.type = type;
            this.device = device;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ConstantKey)) {
                return false;
            }
            ConstantKey k = (ConstantKey) o;
            return Arrays.equals(values, k.values)
                    && shape.equals(k.shape)
                    && type == k.type
                    && device.equals(k.device);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(values), shape, type, device);
        }
    }
}
