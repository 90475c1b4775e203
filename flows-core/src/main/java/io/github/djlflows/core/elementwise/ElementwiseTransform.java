package io.github.djlflows.core.elementwise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.bijection.ElementwiseBijection;
import io.github.djlflows.core.internal.Parameters;
import io.github.djlflows.core.internal.Tensors;

/**
 * A per-feature map whose parameters depend on nothing: any {@link ElementwiseBijection} (affine,
 * rational-quadratic spline) fed a learned vector in place of a conditioner's output, the same for
 * every sample. With a spline it is the one-feature case of an autoregressive spline flow (the
 * first feature of an autoregressive layer is conditioned on nothing) and reshapes each marginal of
 * wider data, as zuko's unconditional transforms do.
 *
 * <pre>
 * θ: P·D learned values (P = map.getParameterCount()), zero at the start
 * y      = map(x; θ)           elementwise
 * logDet = sum over features of log|dy/dx|
 * inverse: x = map⁻¹(y; θ),  logDet negated
 * </pre>
 *
 * <p>Shapes: x (batch, features...). Cost: O(P·D) in both directions; the inverse is the map's.
 *
 * <pre>{@code
 * FlowBlock marginal = new ElementwiseTransform(RationalQuadraticSpline.builder().optBins(8).build());
 * }</pre>
 */
public class ElementwiseTransform extends FlowBlock {

    private static final byte VERSION = 1;

    private final ElementwiseBijection map;
    private final Parameter raw;

    /**
     * Creates the layer.
     *
     * @param map the per-feature map
     */
    public ElementwiseTransform(ElementwiseBijection map) {
        super(VERSION);
        Preconditions.checkArgument(map != null, "the map must not be null");
        this.map = map;
        raw = addParameter(Parameters.zeros("raw"));
    }

    /**
     * Returns the per-feature map.
     *
     * @return the map
     */
    public ElementwiseBijection getMap() {
        return map;
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        Preconditions.checkArgument(
                x.dimension() >= 2, "ElementwiseTransform expects (batch, features...), got " + x);
        raw.setShape(new Shape(map.getParameterCount() * x.get(1)).addAll(x.slice(2)));
    }

    private NDList params(ParameterStore ps, NDArray x, boolean training) {
        NDArray theta = Tensors.param(ps, raw, x, training);
        Shape batch = new Shape(x.getShape().get(0)).addAll(theta.getShape());
        return ElementwiseBijection.cut(
                theta.expandDims(0).broadcast(batch), map.getParameterShapes(), x.getShape());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        NDList out = map.forward(x, params(ps, x, training));
        return result(out.get(0), LogDets.sumPerSample(out.get(1)));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore ps, NDArray y, NDArray context) {
        NDList out = map.inverse(y, params(ps, y, false));
        return result(out.get(0), LogDets.sumPerSample(out.get(1)));
    }
}
