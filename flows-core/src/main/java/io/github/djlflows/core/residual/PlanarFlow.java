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
 * The planar flow {@code z = x + u' tanh(w.x + b)} (Rezende and Mohamed), with {@code u'} the
 * reparameterised {@code u} that guarantees {@code w.u' >= -1}, hence invertibility: {@code u' = u
 * + (m(w.u) - w.u) w / |w|^2}, {@code m(a) = -1 + softplus(a)}.
 *
 * <p>log|det dz/dx| = log|1 + (1 - tanh^2(w.x + b)) w.u'| (the matrix determinant lemma).
 *
 * <p>Cost: the normalizing direction (density) is analytic and O(D). The generative direction has
 * no closed form: it solves the monotone 1-D equation {@code a + (w.u') tanh(a + b) = w.z} for
 * {@code a = w.x} by vectorised bisection on the bracket {@code |a - w.z| <= |w.u'|} (80 halvings,
 * far below 1e-6), then {@code x = z - u' tanh(a + b)}. The numerical inverse is not differentiable
 * with respect to the parameters.
 *
 * <p>Reference: Rezende and Mohamed, "Variational Inference with Normalizing Flows", ICML 2015.
 *
 * <pre>{@code
 * PlanarFlow layer = new PlanarFlow();
 * }</pre>
 */
public class PlanarFlow extends FlowBlock {

    private static final byte VERSION = 1;
    private static final int BISECTION_STEPS = 80;

    private final Parameter u;
    private final Parameter w;
    private final Parameter b;

    /** Creates the layer; u, w and b start from N(0, 0.1^2). */
    public PlanarFlow() {
        super(VERSION);
        u = addParameter(param("u"));
        w = addParameter(param("w"));
        b = addParameter(param("b"));
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
                    "PlanarFlow expects vectors (batch, features), got " + inputShapes[0]);
        }
        Shape d = new Shape(inputShapes[0].get(1));
        u.setShape(d);
        w.setShape(d);
        b.setShape(new Shape(1));
    }

    /** The reparameterised u' and the scalars w.u' and b, as arrays on the batch's manager. */
    private NDArray[] terms(ParameterStore ps, NDArray like, boolean training) {
        NDArray uv = Tensors.param(ps, u, like, training);
        NDArray wv = Tensors.param(ps, w, like, training);
        NDArray bv = Tensors.param(ps, b, like, training);
        NDArray wu = wv.mul(uv).sum();
        NDArray m = Activation.softPlus(wu).sub(1);
        NDArray uHat = wv.mul(m.sub(wu).div(wv.square().sum())).add(uv);
        NDArray wuHat = wv.mul(uHat).sum();
        return new NDArray[] {uHat, wv, bv, wuHat};
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        NDArray[] t = terms(parameterStore, x, training);
        NDArray pre = x.matMul(t[1]).add(t[2]);
        NDArray h = pre.tanh();
        NDArray z = x.add(h.expandDims(1).mul(t[0].expandDims(0)));
        NDArray logDet = h.square().neg().add(1).mul(t[3]).add(1).abs().log();
        return result(z, logDet);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        NDArray[] t = terms(parameterStore, z, false);
        NDArray wz = z.matMul(t[1]);
        NDArray radius = t[3].abs().add(1e-3);
        NDArray lo = wz.sub(radius);
        NDArray hi = wz.add(radius);
        for (int i = 0; i < BISECTION_STEPS; i++) {
            NDArray mid = Tensors.mul(lo.add(hi), 0.5);
            NDArray g = mid.add(mid.add(t[2]).tanh().mul(t[3])).sub(wz);
            NDArray below = g.lt(0);
            lo = NDArrays.where(below, mid, lo);
            hi = NDArrays.where(below, hi, mid);
        }
        NDArray a = Tensors.mul(lo.add(hi), 0.5);
        NDArray h = a.add(t[2]).tanh();
        NDArray x = z.sub(h.expandDims(1).mul(t[0].expandDims(0)));
        NDArray logDet = h.square().neg().add(1).mul(t[3]).add(1).abs().log().neg();
        return result(x, logDet);
    }
}
