package io.github.djlflows.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The one contract of DJL Flows: an invertible layer that returns its output together with the log
 * absolute determinant of its Jacobian.
 *
 * <table>
 *   <caption>Directions</caption>
 *   <tr><th>direction</th><th>method</th><th>inputs</th><th>outputs</th></tr>
 *   <tr><td>normalizing (data to latent)</td><td>{@code forward}</td><td>x [, context]</td>
 *       <td>z, log|det dz/dx|</td></tr>
 *   <tr><td>generative (latent to data)</td><td>{@link #inverse}</td><td>z [, context]</td>
 *       <td>x, log|det dx/dz|</td></tr>
 * </table>
 *
 * <p>Shapes: {@code x} and {@code z} are (batch, dim) for tabular data or (batch, channels, height,
 * width) for images; the log-determinant has shape (batch); the optional context is (batch,
 * contextSize). The two log-determinants cancel at matching points.
 *
 * <p>Subclasses implement {@link #forwardFlow} and, when they can, {@link #inverseFlow}; input
 * validation (rank, feature shape, data type, context) is done here, once, with clear messages.
 *
 * <pre>{@code
 * NDList out = layer.forward(parameterStore, new NDList(x), false);
 * NDArray z = out.get(0);
 * NDArray logDet = out.get(1);
 * NDArray xBack = layer.inverse(parameterStore, new NDList(z)).get(0);
 * }</pre>
 */
public abstract class FlowBlock extends AbstractBlock {

    private DataType initializedType;

    /**
     * Creates a flow block with the given serialization version.
     *
     * @param version the version byte written with the parameters
     */
    protected FlowBlock(byte version) {
        super(version);
    }

    /**
     * Returns the size of the context this layer needs, or 0 when it takes no context.
     *
     * @return the context size
     */
    public long getContextSize() {
        return 0;
    }

    /**
     * Returns the inverse direction as a flow block (see {@link InverseFlow}).
     *
     * @return a block whose forward is this block's inverse and vice versa
     */
    public FlowBlock inverted() {
        return new InverseFlow(this);
    }

    /** {@inheritDoc} */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length == 0) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName() + " needs the input shape to initialize");
        }
        checkContextShape(inputShapes);
        super.initialize(manager, dataType, inputShapes);
        initializedType = dataType;
    }

    /** {@inheritDoc} */
    @Override
    protected final NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray context = validate(inputs, "forward");
        return forwardFlow(parameterStore, inputs.get(0), context, training);
    }

    /**
     * Runs the generative direction: latent to data.
     *
     * @param parameterStore the parameter store
     * @param inputs {@code z} [, context]
     * @return {@code x} and log|det dx/dz| of shape (batch)
     * @throws InverseNotAvailableException if the layer has no inverse
     */
    public final NDList inverse(ParameterStore parameterStore, NDList inputs) {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    getClass().getSimpleName()
                            + " is not initialized: run forward or initialize() before inverse");
        }
        NDArray context = validate(inputs, "inverse");
        return inverseFlow(parameterStore, inputs.get(0), context);
    }

    /**
     * The normalizing direction, after validation.
     *
     * @param parameterStore the parameter store
     * @param x the data, (batch, ...)
     * @param context the context (batch, contextSize), or null when the layer takes none
     * @param training true for a training pass
     * @return {@code z} and log|det dz/dx| of shape (batch)
     */
    protected abstract NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training);

    /**
     * The generative direction, after validation. The default throws.
     *
     * @param parameterStore the parameter store
     * @param z the latent, (batch, ...)
     * @param context the context, or null when the layer takes none
     * @return {@code x} and log|det dx/dz| of shape (batch)
     */
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        throw new InverseNotAvailableException(
                getClass().getSimpleName() + " has no inverse direction");
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0], new Shape(inputShapes[0].get(0))};
    }

    /**
     * Returns the shapes the generative direction produces from latents of the given shapes: the
     * inverse of {@link #getOutputShapes}. The default is for layers that keep the shape; a
     * shape-changing layer ({@code Squeeze} in the image package) overrides both, so that {@link
     * InverseFlow} can report its own output shapes.
     *
     * @param outputShapes the latent's shape (batch, ...) [, the context's shape]
     * @return the data's shape and the log-det's (batch)
     */
    public Shape[] getInverseOutputShapes(Shape[] outputShapes) {
        return new Shape[] {outputShapes[0], new Shape(outputShapes[0].get(0))};
    }

    /**
     * Returns the data type of this layer's parameters: the type it was initialized with or, for a
     * layer whose parameters were loaded instead ({@code Model.load} skips {@code initialize}), the
     * type of its first parameter (its own or a child's); null while neither is known.
     *
     * @return the parameter data type, or null
     */
    protected DataType getInitializedType() {
        if (initializedType == null) {
            for (Parameter p : getParameters().values()) {
                if (p.isInitialized()) {
                    initializedType = p.getArray().getDataType();
                    break;
                }
            }
        }
        return initializedType;
    }

    private void checkContextShape(Shape[] shapes) {
        long contextSize = getContextSize();
        if (contextSize > 0) {
            if (shapes.length < 2) {
                throw new IllegalArgumentException(
                        getClass().getSimpleName()
                                + " expects a context input of shape (batch, "
                                + contextSize
                                + "), but none was given");
            }
            Shape c = shapes[1];
            if (c.dimension() != 2 || c.get(1) != contextSize) {
                throw new IllegalArgumentException(
                        getClass().getSimpleName()
                                + " expects a context of shape (batch, "
                                + contextSize
                                + "), got "
                                + c);
            }
        }
    }

    private NDArray validate(NDList inputs, String direction) {
        String name = getClass().getSimpleName();
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException(
                    name + "." + direction + " expects an input, got none");
        }
        NDArray x = inputs.get(0);
        DataType type = x.getDataType();
        if (!type.isFloating()) {
            throw new IllegalArgumentException(
                    name + "." + direction + " expects a floating-point input, got " + type);
        }
        DataType expectedType = getInitializedType();
        if (expectedType != null && type != expectedType) {
            throw new IllegalArgumentException(
                    name
                            + "."
                            + direction
                            + " expects data type "
                            + expectedType
                            + " (the parameters' type), got "
                            + type);
        }
        Shape shape = x.getShape();
        if (inputShapes != null && inputShapes.length > 0) {
            // a shape-changing layer (Squeeze) takes its output shape in the inverse direction
            Shape expected =
                    "inverse".equals(direction) ? getOutputShapes(inputShapes)[0] : inputShapes[0];
            boolean sameRank = expected.dimension() == shape.dimension();
            if (!sameRank || !expected.slice(1).equals(shape.slice(1))) {
                throw new IllegalArgumentException(
                        name
                                + "."
                                + direction
                                + " expects input of shape (batch, "
                                + describe(expected.slice(1))
                                + "), got "
                                + shape);
            }
        }
        long contextSize = getContextSize();
        if (contextSize == 0) {
            return null;
        }
        if (inputs.size() < 2) {
            throw new IllegalArgumentException(
                    name
                            + "."
                            + direction
                            + " expects a context of shape (batch, "
                            + contextSize
                            + ") as second input, but none was given");
        }
        NDArray context = inputs.get(1);
        Shape c = context.getShape();
        if (c.dimension() != 2 || c.get(1) != contextSize || c.get(0) != shape.get(0)) {
            throw new IllegalArgumentException(
                    name
                            + "."
                            + direction
                            + " expects a context of shape ("
                            + shape.get(0)
                            + ", "
                            + contextSize
                            + "), got "
                            + c);
        }
        if (context.getDataType() != type) {
            throw new IllegalArgumentException(
                    name + " expects a context of type " + type + ", got " + context.getDataType());
        }
        return context;
    }

    private static String describe(Shape s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.dimension(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(s.get(i));
        }
        return sb.toString();
    }

    /**
     * Packs an output and its log-determinant.
     *
     * @param output the transformed array
     * @param logDet the log-determinant, (batch)
     * @return the pair as an {@link NDList}
     */
    protected static NDList result(NDArray output, NDArray logDet) {
        return new NDList(output, logDet);
    }
}
