package io.github.djlflows.core.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.Distribution;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;

/**
 * The standard normal N(0, I) over events of a fixed shape: {@code log p(z) = -|z|^2/2 - D/2 log(2
 * pi)}.
 *
 * <pre>{@code
 * Distribution base = new StandardNormal(new Shape(2));
 * }</pre>
 */
public class StandardNormal extends Distribution {

    private static final byte VERSION = 1;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /**
     * Creates N(0, I) over events of the given shape.
     *
     * @param eventShape the shape of one event
     */
    public StandardNormal(Shape eventShape) {
        super(VERSION, eventShape);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logProb(ParameterStore parameterStore, NDArray z, boolean training) {
        checkEvent(z);
        double d = eventShape.size();
        return Tensors.add(Tensors.mul(LogDets.sumPerSample(z.square()), -0.5), -0.5 * d * LOG_2PI);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore, NDManager manager, long n, DataType dataType) {
        return manager.randomNormal(0f, 1f, batchShape(n), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore,
            NDManager manager,
            long n,
            DataType dataType,
            long seed) {
        return seededNormal(manager, n, dataType, seed);
    }
}
