package io.github.djlflows.core.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.Distribution;
import io.github.djlflows.core.InputOutsideDomainException;
import io.github.djlflows.core.LogDets;

/**
 * The uniform distribution on the box [low, high)^D: {@code log p(z) = -D log(high - low)} inside,
 * and an {@link InputOutsideDomainException} for points outside (never a silent -infinity).
 *
 * <pre>{@code
 * Distribution base = new Uniform(new Shape(1, 28, 28), 0, 1);
 * }</pre>
 */
public class Uniform extends Distribution {

    private static final byte VERSION = 1;

    private final double low;
    private final double high;

    /**
     * Creates the uniform distribution on [low, high) per feature.
     *
     * @param eventShape the shape of one event
     * @param low the lower bound
     * @param high the upper bound, greater than {@code low}
     */
    public Uniform(Shape eventShape, double low, double high) {
        super(VERSION, eventShape);
        Preconditions.checkArgument(
                high > low, "Uniform needs high > low, got " + low + ", " + high);
        this.low = low;
        this.high = high;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logProb(ParameterStore parameterStore, NDArray z, boolean training) {
        checkEvent(z);
        boolean outside = z.lt(low).logicalOr(z.gte(high)).any().getBoolean();
        if (outside) {
            throw new InputOutsideDomainException(
                    "Uniform expects points in [" + low + ", " + high + "), got values outside");
        }
        double logDensity = -eventShape.size() * Math.log(high - low);
        return LogDets.sumPerSample(z.zerosLike()).add(logDensity);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore, NDManager manager, long n, DataType dataType) {
        return manager.randomUniform((float) low, (float) high, batchShape(n), dataType);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore,
            NDManager manager,
            long n,
            DataType dataType,
            long seed) {
        return seededUniform(manager, n, dataType, seed).mul(high - low).add(low);
    }
}
