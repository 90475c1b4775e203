package io.github.djlflows.core.residual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.internal.Tensors;

/**
 * The radial flow {@code z = x + beta h(r) (x - x0)}, {@code h(r) = 1 / (alpha + r)}, {@code r = |x
 * - x0|} (Rezende and Mohamed), with {@code alpha = softplus(a) > 0} and {@code beta = -alpha +
 * softplus(c) >= -alpha}, which guarantees invertibility.
 *
 * <p>log|det dz/dx| = (D - 1) log(1 + beta h) + log(1 + beta h - beta h^2 r).
 *
 * <p>Cost: O(D) in both directions. The inverse solves for the radius: {@code |z - x0| = r (1 +
 * beta / (alpha + r))} is the quadratic {@code r^2 + (alpha + beta - |z - x0|) r - alpha |z - x0| =
 * 0}, whose non-negative root is taken in the cancellation-free form; then {@code x = x0 + (z - x0)
 * / (1 + beta h(r))}.
 *
 * <p>Reference: Rezende and Mohamed, "Variational Inference with Normalizing Flows", ICML 2015.
 *
 * <pre>{@code
 * RadialFlow layer = new RadialFlow();
 * }</pre>
 */
public class RadialFlow extends FlowBlock {

    private static final byte VERSION = 1;

    private final Parameter centre;
    private final Parameter alphaRaw;
    private final Parameter betaRaw;

    /** Creates the layer; parameters start from N(0, 0.1^2). */
    public RadialFlow() {
        super(VERSION);
        centre = addParameter(param("x0"));
        alphaRaw = addParameter(param("alpha"));
        betaRaw = addParameter(param("beta"));
    }

    private static Parameter param(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optInitializer(new NormalInitializer(0.1f))
                .build();
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        if (inputShapes[0].dimension() != 2) {
            throw new IllegalArgumentException(
                    "RadialFlow expects vectors (batch, features), got " + inputShapes[0]);
        }
        centre.setShape(new Shape(inputShapes[0].get(1)));
        alphaRaw.setShape(new Shape(1));
        betaRaw.setShape(new Shape(1));
    }

    private NDArray[] terms(ParameterStore ps, NDArray like, boolean training) {
        NDArray x0 = Tensors.param(ps, centre, like, training);
        NDArray alpha = Activation.softPlus(Tensors.param(ps, alphaRaw, like, training));
        NDArray beta = Activation.softPlus(Tensors.param(ps, betaRaw, like, training)).sub(alpha);
        return new NDArray[] {x0, alpha, beta};
    }

    private static NDArray logDet(NDArray r, NDArray alpha, NDArray beta, long dim) {
        NDArray h = Tensors.reciprocal(r.add(alpha));
        NDArray betaH = h.mul(beta);
        NDArray first = Tensors.mul(betaH.add(1).log(), dim - 1);
        NDArray second = betaH.add(1).sub(h.square().mul(r).mul(beta)).log();
        return first.add(second);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        NDArray[] t = terms(parameterStore, x, training);
        NDArray diff = x.sub(t[0]);
        NDArray r = diff.square().sum(new int[] {1}).sqrt();
        NDArray factor = Tensors.reciprocal(r.add(t[1])).mul(t[2]);
        NDArray z = x.add(diff.mul(factor.expandDims(1)));
        return result(z, logDet(r, t[1], t[2], x.getShape().get(1)));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        NDArray[] t = terms(parameterStore, z, false);
        NDArray diff = z.sub(t[0]);
        NDArray rz = diff.square().sum(new int[] {1}).sqrt();
        NDArray lin = rz.neg().add(t[1]).add(t[2]);
        NDArray c = rz.mul(t[1]);
        NDArray root = lin.square().add(Tensors.mul(c, 4)).sqrt();
        NDArray positiveLin = Tensors.mul(c, 2).div(lin.add(root));
        NDArray otherLin = Tensors.mul(root.sub(lin), 0.5);
        NDArray r = NDArrays.where(lin.gt(0), positiveLin, otherLin);
        NDArray factor = Tensors.reciprocal(r.add(t[1])).mul(t[2]).add(1);
        NDArray x = diff.div(factor.expandDims(1)).add(t[0]);
        return result(x, logDet(r, t[1], t[2], z.getShape().get(1)).neg());
    }
}
