package io.github.djlflows.core.elementwise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.bijection.ElementwiseBijection;
import io.github.djlflows.core.internal.Parameters;
import io.github.djlflows.core.internal.Tensors;
import io.github.djlflows.core.nn.Conditioners;

/**
 * A per-feature map whose parameters depend on no feature: any {@link ElementwiseBijection}
 * (affine, rational-quadratic spline, deep sigmoidal) fed either a learned vector, the same for
 * every sample, or, in a conditional flow, an MLP of the context alone. It is the one-feature case
 * of an autoregressive layer (the first feature of such a layer is conditioned on nothing but the
 * context), and reshapes each marginal of wider data, as zuko's unconditional transforms do.
 *
 * <pre>
 * θ = learned values (P·D of them; P = map.getParameterCount()), or θ = MLP(context);  zero at the start
 * y      = map(x; θ)           elementwise
 * logDet = sum over features of log|dy/dx|
 * inverse: x = map⁻¹(y; θ),  its own log|dx/dy|
 * </pre>
 *
 * <p>Shapes: x (batch, features...) without context, (batch, D) with one. Cost: O(P·D) in both
 * directions (plus one MLP pass of the context); the inverse is the map's.
 *
 * <pre>{@code
 * FlowBlock marginal = new ElementwiseTransform(RationalQuadraticSpline.builder().optBins(8).build());
 * }</pre>
 */
public class ElementwiseTransform extends FlowBlock {

    private static final byte VERSION = 1;

    private final ElementwiseBijection map;
    private final Parameter raw;
    private final long contextSize;
    private final Block contextNet;

    /**
     * Creates the layer with learned constant parameters.
     *
     * @param map the per-feature map
     */
    public ElementwiseTransform(ElementwiseBijection map) {
        super(VERSION);
        Preconditions.checkArgument(map != null, "the map must not be null");
        this.map = map;
        this.contextSize = 0;
        this.contextNet = null;
        raw = addParameter(Parameters.zeros("raw"));
    }

    /**
     * Creates the conditional layer of D features: the map's parameters come from an MLP of the
     * context (ReLU hidden layers, zero-initialised output).
     *
     * @param map the per-feature map
     * @param features the number of features D, positive
     * @param contextSize the context size, positive
     * @param hiddenSizes the MLP's hidden widths, at least one
     */
    public ElementwiseTransform(
            ElementwiseBijection map, long features, long contextSize, int... hiddenSizes) {
        super(VERSION);
        Preconditions.checkArgument(map != null, "the map must not be null");
        Preconditions.checkArgument(features > 0, "features must be positive, got " + features);
        Preconditions.checkArgument(
                contextSize > 0, "context size must be positive, got " + contextSize);
        this.map = map;
        this.contextSize = contextSize;
        this.raw = null;
        this.contextNet =
                addChildBlock(
                        "context",
                        Conditioners.mlp(map.getParameterCount() * features, hiddenSizes));
    }

    /**
     * The layer of D features conditioned on nothing but a context: learned constants without one
     * (context size 0), an MLP of the context with one. The one-feature layer of the autoregressive
     * presets.
     *
     * @param map the per-feature map
     * @param features the number of features D, positive
     * @param contextSize the context size, 0 for none
     * @param hiddenSizes the MLP's hidden widths (used with a context)
     * @return the layer
     */
    public static ElementwiseTransform of(
            ElementwiseBijection map, long features, long contextSize, int... hiddenSizes) {
        return contextSize == 0
                ? new ElementwiseTransform(map)
                : new ElementwiseTransform(map, features, contextSize, hiddenSizes);
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
    public long getContextSize() {
        return contextSize;
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        Preconditions.checkArgument(
                x.dimension() >= 2, "ElementwiseTransform expects (batch, features...), got " + x);
        if (raw != null) {
            raw.setShape(new Shape(map.getParameterCount() * x.get(1)).addAll(x.slice(2)));
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (contextNet != null) {
            contextNet.initialize(manager, dataType, new Shape(inputShapes[0].get(0), contextSize));
        }
    }

    private NDList params(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        NDArray theta;
        if (contextNet != null) {
            theta = contextNet.forward(ps, new NDList(context), training).singletonOrThrow();
        } else {
            NDArray constant = Tensors.param(ps, raw, x, training);
            Shape batch = new Shape(x.getShape().get(0)).addAll(constant.getShape());
            theta = constant.expandDims(0).broadcast(batch);
        }
        return ElementwiseBijection.cut(theta, map.getParameterShapes(), x.getShape());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        NDList out = map.forward(x, params(ps, x, context, training));
        return result(out.get(0), LogDets.sumPerSample(out.get(1)));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore ps, NDArray y, NDArray context) {
        NDList out = map.inverse(y, params(ps, y, context, false));
        return result(out.get(0), LogDets.sumPerSample(out.get(1)));
    }
}
