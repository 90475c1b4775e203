package io.github.djlflows.core.distribution;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.Distribution;
import io.github.djlflows.core.internal.Parameters;
import io.github.djlflows.core.internal.Tensors;
import java.util.SplittableRandom;

/**
 * A learnable mixture of K diagonal normals, for a base with several modes (data of separated
 * clusters need no flow to tear one Gaussian apart):
 *
 * <pre>
 * log p(z) = log sum_k π_k N(z; μ_k, diag σ_k²),   π = softmax(logits),  σ_k = exp(logScale_k)
 * </pre>
 *
 * <p>The means start at N(0, 1) draws of the engine's generator (seed it for a reproducible start;
 * equal means would stay equal), the scales at 1 and the weights equal. Sampling picks a component
 * by its weight, then draws from it; the draw is reparameterised given the component (the pick is
 * not differentiable in the weights).
 *
 * <pre>{@code
 * Distribution base = new GaussianMixture(new Shape(2), 8);
 * }</pre>
 */
public class GaussianMixture extends Distribution {

    private static final byte VERSION = 1;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final int components;
    private final Parameter logits;
    private final Parameter means;
    private final Parameter logScales;

    /**
     * Creates the mixture.
     *
     * @param eventShape the shape of one event
     * @param components the number K of components, at least 1
     */
    public GaussianMixture(Shape eventShape, int components) {
        super(VERSION, eventShape);
        Preconditions.checkArgument(components >= 1, "at least one component, got " + components);
        this.components = components;
        Shape perComponent = new Shape(components).addAll(eventShape);
        logits = addParameter(Parameters.of("logits", new Shape(components), Initializer.ZEROS));
        means = addParameter(Parameters.of("means", perComponent, new NormalInitializer(1f)));
        logScales = addParameter(Parameters.of("logScales", perComponent, Initializer.ZEROS));
    }

    /**
     * Returns the number of components.
     *
     * @return K
     */
    public int getComponents() {
        return components;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray logProb(ParameterStore parameterStore, NDArray z, boolean training) {
        checkEvent(z);
        NDArray mu = Tensors.param(parameterStore, means, z, training);
        NDArray ls = Tensors.param(parameterStore, logScales, z, training);
        NDArray logWeights = Tensors.param(parameterStore, logits, z, training).logSoftmax(0);
        NDArray u = z.expandDims(1).sub(mu).mul(ls.neg().exp()); // (batch, K, event...)
        NDArray perFeature = Tensors.mul(u.square(), -0.5).sub(ls).sub(0.5 * LOG_2PI);
        long batch = z.getShape().get(0);
        NDArray perComponent = perFeature.reshape(batch, components, -1).sum(new int[] {2});
        return Tensors.logSumExp(perComponent.add(logWeights), 1);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore, NDManager manager, long n, DataType dataType) {
        NDArray eps = manager.randomNormal(0f, 1f, batchShape(n), dataType);
        NDArray pick = manager.randomUniform(0f, 1f, new Shape(n, 1), dataType);
        return draw(parameterStore, eps, pick);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sample(
            ParameterStore parameterStore,
            NDManager manager,
            long n,
            DataType dataType,
            long seed) {
        NDArray eps = seededNormal(manager, n, dataType, seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double[] u = new double[Math.toIntExact(n)];
        for (int i = 0; i < u.length; i++) {
            u[i] = random.nextDouble();
        }
        NDArray pick = manager.create(u, new Shape(n, 1)).toType(dataType, false);
        return draw(parameterStore, eps, pick);
    }

    /**
     * Component k where the uniform falls between the weights' cumulative sums c_{k-1} and c_k;
     * then μ + σ ε.
     */
    private NDArray draw(ParameterStore parameterStore, NDArray eps, NDArray pick) {
        NDArray mu = Tensors.param(parameterStore, means, eps, false);
        NDArray ls = Tensors.param(parameterStore, logScales, eps, false);
        NDArray weights = Tensors.param(parameterStore, logits, eps, false).softmax(0);
        // past_k = [u >= c_k] for the K - 1 inner boundaries; one-hot_k = past_{k-1} - past_k with
        // past_{-1} = 1 and past_{K-1} = 0, so every row has exactly one component, the last also
        // taking any u that rounding of the cumulative sum leaves above c_{K-1}
        NDArray inner = weights.cumSum(0).get("0:" + (components - 1));
        NDArray past = pick.gte(inner).toType(eps.getDataType(), false); // (n, K - 1)
        NDArray hot =
                pick.onesLike().concat(past, 1).sub(past.concat(pick.zerosLike(), 1)); // (n, K)
        NDArray h =
                hot.reshape(
                        new Shape(eps.getShape().get(0), components)
                                .addAll(ones(eventShape.dimension())));
        NDArray chosenMu = h.mul(mu.expandDims(0)).sum(new int[] {1});
        NDArray chosenScale = h.mul(ls.exp().expandDims(0)).sum(new int[] {1});
        return eps.mul(chosenScale).add(chosenMu);
    }

    private static Shape ones(int dimensions) {
        long[] one = new long[dimensions];
        java.util.Arrays.fill(one, 1);
        return new Shape(one);
    }
}
