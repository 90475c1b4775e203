package io.github.djlflows.core.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.github.djlflows.core.Distribution;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Parameters;
import io.github.djlflows.core.internal.Tensors;

/**
 * A normal distribution with learnable mean and log standard deviation per feature: {@code log p(z)
 * = sum(-((z - mu) / sigma)^2 / 2 - log sigma - log(2 pi) / 2)}, sigma = exp(logScale).
 *
 * <p>Both parameters start at 0 (the standard normal) and train with the flow.
 *
 * <pre>{@code
 * Distribution base = new DiagonalNormal(new Shape(2));
 * }</pre>
 */
public class DiagonalNormal extends Distribution {

    private static final byte VERSION = 1;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final Parameter mean;
    private final Parameter logScale;

    /**
     * Creates a learnable diagonal normal over events of the given shape.
     *
     * @param eventShape the shape of one event
     */
    public DiagonalNormal(Shape eventShape) {
        super(VERSION, eventShape);
        mean = addParameter(Parameters.of("mean", eventShape, Initializer.ZEROS));
        logScale = addParameter(Parameters.of("logScale", eventShape, Initializer.ZEROS));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logProb(ParameterStore parameterStore, NDArray z, boolean training) {
        checkEvent(z);
        NDArray mu = Tensors.param(parameterStore, mean, z, training);
        NDArray ls = Tensors.param(parameterStore, logScale, z, training);
        NDArray invSigma = ls.neg().exp();
        NDArray u = z.sub(mu).mul(invSigma);
        NDArray perFeature = Tensors.mul(u.square(), -0.5).sub(ls).sub(0.5 * LOG_2PI);
        return LogDets.sumPerSample(perFeature);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore, NDManager manager, long n, DataType dataType) {
        return transform(parameterStore, manager.randomNormal(0f, 1f, batchShape(n), dataType));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore,
            NDManager manager,
            long n,
            DataType dataType,
            long seed) {
        return transform(parameterStore, seededNormal(manager, n, dataType, seed));
    }

    private NDArray transform(ParameterStore parameterStore, NDArray eps) {
        NDArray mu = Tensors.param(parameterStore, mean, eps, false);
        NDArray ls = Tensors.param(parameterStore, logScale, eps, false);
        return eps.mul(ls.exp()).add(mu);
    }
}
