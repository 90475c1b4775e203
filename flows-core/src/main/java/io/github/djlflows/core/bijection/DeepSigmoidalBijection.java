package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.internal.Tensors;

/**
 * The deep sigmoidal flow of neural autoregressive flows: a monotonic network of K sigmoid units
 * per feature, a bijection of the real line.
 *
 * <pre>
 * a_j = softplus(raw_a_j + c) + 1e-3    (positive; c = ln(e^(1 - 1e-3) - 1), so 1 at zero)
 * w   = softmax(raw_w)                         (a convex combination)
 * m(x) = sum_j w_j sigmoid(a_j x + b_j)        in (0, 1), increasing
 * y    = logit(m(x))
 * log|dy/dx| = log sum_j w_j a_j σ(u_j) σ(-u_j) - log m - log(1 - m),   u_j = a_j x + b_j
 * </pre>
 *
 * <p>Every term is a log-sum-exp of log-sigmoids, so y and its log-derivative stay finite far into
 * the tails. A zero conditioner output gives the identity (every unit is σ(x)). Parameters per
 * feature ({@link #getParameterShapes()}): K slopes, K offsets, K weights.
 *
 * <p>Cost: O(K) per feature forward. No analytic inverse: the inverse bisects on the bracket [min_j
 * (y - b_j) / a_j, max_j (y - b_j) / a_j], which holds the root because m lies between its smallest
 * and largest unit, {@link #BISECTIONS} halvings (the bracket's width times 2^-60: exact to the
 * float type's precision) and one Newton step, which carries the implicit gradient (dx/dθ =
 * -(∂y/∂θ) / (dy/dx)) so that samples stay reparameterised; log|dx/dy| is minus the forward's
 * there.
 *
 * <p>Reference: Huang, Krueger, Lacoste and Courville, "Neural Autoregressive Flows", ICML 2018.
 *
 * <pre>{@code
 * ElementwiseBijection dsf = new DeepSigmoidalBijection(8);
 * FlowBlock naf = AutoregressiveFlow.builder(dsf).setConditioner(made).build();
 * }</pre>
 */
public final class DeepSigmoidalBijection implements ElementwiseBijection {

    /** Halvings of the inverse's bracket. */
    public static final int BISECTIONS = 60;

    private static final double MIN_SLOPE = 1e-3;
    // softplus(SLOPE_SHIFT) + MIN_SLOPE = 1: a zero raw slope is 1
    private static final double SLOPE_SHIFT = Math.log(Math.expm1(1 - MIN_SLOPE));

    private final int units;

    /**
     * Creates the map.
     *
     * @param units the number K of sigmoid units per feature, at least 1
     */
    public DeepSigmoidalBijection(int units) {
        Preconditions.checkArgument(units >= 1, "at least one sigmoid unit, got " + units);
        this.units = units;
    }

    /**
     * Returns the number of sigmoid units per feature.
     *
     * @return K
     */
    public int getUnits() {
        return units;
    }

    /** {@inheritDoc} */
    @Override
    public int[] getParameterShapes() {
        return new int[] {units, units, units};
    }

    /** {@inheritDoc} */
    @Override
    public NDList forward(NDArray x, NDList params) {
        NDArray[] p = unpack(x, params);
        return evaluate(x, p[0], p[1], p[2]);
    }

    /** {@inheritDoc} */
    @Override
    public NDList inverse(NDArray y, NDList params) {
        NDArray[] p = unpack(y, params);
        NDArray a = p[0];
        NDArray b = p[1];
        NDArray logW = p[2];
        // bisection without gradient, on the bracket of the units' own roots
        NDArray yd = y.stopGradient();
        NDArray ad = a.stopGradient();
        NDArray bd = b.stopGradient();
        NDArray logWd = logW.stopGradient();
        NDArray roots = yd.expandDims(1).sub(bd).div(ad); // (batch, K, ...)
        NDArray lo = roots.min(new int[] {1});
        NDArray hi = roots.max(new int[] {1});
        NDArray half = Tensors.scalar(lo, 0.5);
        for (int i = 0; i < BISECTIONS; i++) {
            NDArray mid = lo.add(hi).mul(half);
            NDArray above = evaluate(mid, ad, bd, logWd).get(0).gt(yd);
            hi = NDArrays.where(above, mid, hi);
            lo = NDArrays.where(above, lo, mid);
        }
        NDArray root = lo.add(hi).mul(half);
        // one Newton step from the root: its value is the root's, and its gradient the implicit
        // function's, dx = (dy - ∂f/∂θ dθ) / f'(x), so draws stay reparameterised
        NDList at = evaluate(root, a, b, logW);
        NDArray slope = at.get(1).exp().stopGradient();
        NDArray x = root.sub(at.get(0).sub(y).div(slope));
        return new NDList(x, evaluate(x, a, b, logW).get(1).neg());
    }

    /** Slopes a, offsets b and log-weights, each (batch, K, features...). */
    private NDArray[] unpack(NDArray x, NDList params) {
        NDArray a =
                Tensors.add(
                        Activation.softPlus(Tensors.add(params.get(0), SLOPE_SHIFT)), MIN_SLOPE);
        return new NDArray[] {a, params.get(1), params.get(2).logSoftmax(1)};
    }

    /** y and log|dy/dx| at x. */
    private static NDList evaluate(NDArray x, NDArray a, NDArray b, NDArray logW) {
        NDArray u = a.mul(x.expandDims(1)).add(b);
        NDArray logSigma = Activation.softPlus(u.neg()).neg(); // log σ(u)
        NDArray logSigmaNeg = Activation.softPlus(u).neg(); // log σ(-u) = log(1 - σ(u))
        NDArray logM = Tensors.logSumExp(logW.add(logSigma), 1);
        NDArray log1mM = Tensors.logSumExp(logW.add(logSigmaNeg), 1);
        NDArray logSlope = Tensors.logSumExp(logW.add(a.log()).add(logSigma).add(logSigmaNeg), 1);
        return new NDList(logM.sub(log1mM), logSlope.sub(logM).sub(log1mM));
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "deep-sigmoidal-" + units;
    }
}
