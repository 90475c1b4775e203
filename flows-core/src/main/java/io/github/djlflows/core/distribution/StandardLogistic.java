package io.github.djlflows.core.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.Distribution;
import io.github.djlflows.core.LogDets;

/**
 * The standard logistic distribution, independent per feature, NICE's prior: {@code log p(z) =
 * -sum(softplus(z) + softplus(-z))}. Samples are {@code log(u) - log(1 - u)} for uniform u.
 *
 * <p>Reference: Dinh, Krueger and Bengio, "NICE: Non-linear Independent Components Estimation",
 * 2014.
 *
 * <pre>{@code
 * Distribution base = new StandardLogistic(new Shape(784));
 * }</pre>
 */
public class StandardLogistic extends Distribution {

    private static final byte VERSION = 1;

    /**
     * Creates the standard logistic over events of the given shape.
     *
     * @param eventShape the shape of one event
     */
    public StandardLogistic(Shape eventShape) {
        super(VERSION, eventShape);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logProb(ParameterStore parameterStore, NDArray z, boolean training) {
        checkEvent(z);
        NDArray perFeature = Activation.softPlus(z).add(Activation.softPlus(z.neg()));
        return LogDets.sumPerSample(perFeature).neg();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore, NDManager manager, long n, DataType dataType) {
        NDArray u = manager.randomUniform(1e-7f, 1f - 1e-7f, batchShape(n), dataType);
        return u.log().sub(u.neg().add(1).log());
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore,
            NDManager manager,
            long n,
            DataType dataType,
            long seed) {
        NDArray u = seededUniform(manager, n, dataType, seed).clip(1e-12, 1 - 1e-12);
        return u.log().sub(u.neg().add(1).log());
    }
}
