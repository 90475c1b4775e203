package io.github.djlflows.core.autoregressive;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * MADE, a masked multilayer perceptron whose outputs for feature {@code d} depend only on the
 * features before {@code d} in its {@link Ordering}: the conditioner of autoregressive flows.
 *
 * <p>Each input feature gets a degree {@code m(d)} = its rank in the ordering plus 1 (1..D), each
 * hidden unit a degree in 1..D-1; a hidden weight is kept when {@code m(unit) >= m(input)} and an
 * output weight when {@code m(feature) > m(unit)}, so output {@code d} sees exactly the features of
 * lower degree. Optional residual blocks ({@code h + B(relu(A h))}, both masked with {@code >=})
 * and an optional context, added through an unmasked linear map to every hidden layer, keep that
 * property.
 *
 * <p>Shapes:
 *
 * <ul>
 *   <li>input: x (batch, D) [, context (batch, contextSize)]
 *   <li>output: (batch, P * D), parameter-major: unit {@code p * D + d} is parameter p of feature
 *       d, so {@code reshape(batch, P, D)} gives the layout of an elementwise bijection
 * </ul>
 *
 * <p>Cost: one pass gives the parameters of all D features. The output layer starts at zero, so a
 * new autoregressive layer is the identity.
 *
 * <p>Reference: Germain, Gregor, Murray and Larochelle, "MADE: Masked Autoencoder for Distribution
 * Estimation", ICML 2015.
 *
 * <pre>{@code
 * Made made = Made.builder().setDimension(4).setParameterCount(2)
 *         .optHiddenSizes(64, 64).optOrdering(Ordering.RANDOM).optSeed(7).build();
 * }</pre>
 */
public class Made extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dimension;
    private final int parameterCount;
    private final long contextSize;
    private int[] order;
    private final List<Block> hidden = new ArrayList<>();
    private final List<Block> contextMaps = new ArrayList<>();
    private final List<Block[]> residual = new ArrayList<>();
    private final MaskedLinear output;

    /**
     * Creates the network from a validated builder.
     *
     * @param builder the builder
     */
    protected Made(Builder builder) {
        super(VERSION);
        builder.validate();
        dimension = builder.dimension;
        parameterCount = builder.parameterCount;
        contextSize = builder.contextSize;
        order = builder.ordering.order(dimension, builder.seed);
        int[] previous = MadeMasks.inputDegrees(order);
        int layer = 0;
        for (int width : builder.hiddenSizes) {
            int[] degrees = MadeMasks.hiddenDegrees(width, dimension);
            Block block = MadeMasks.masked(degrees, previous, false, false);
            hidden.add(addChildBlock(name("hidden", layer), block));
            addContextMap(layer++, width);
            previous = degrees;
        }
        for (int r = 0; r < builder.residualBlocks; r++) {
            Block first = MadeMasks.masked(previous, previous, false, false);
            Block second = MadeMasks.masked(previous, previous, false, true);
            residual.add(
                    new Block[] {
                        addChildBlock(name("residualA", r), first),
                        addChildBlock(name("residualB", r), second)
                    });
            addContextMap(layer++, previous.length);
        }
        int[] outDegrees = MadeMasks.outputDegrees(order, parameterCount);
        output = addChildBlock("output", MadeMasks.masked(outDegrees, previous, true, true));
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static String name(String prefix, int index) {
        return String.format("%s%02d", prefix, index);
    }

    private void addContextMap(int layer, int width) {
        if (contextSize > 0) {
            Block map = Linear.builder().setUnits(width).optBias(false).build();
            contextMaps.add(addChildBlock(name("context", layer), map));
        }
    }

    /**
     * Returns the visiting order: feature {@code order[k]} depends on {@code order[0..k-1]}.
     *
     * @return a copy of the order
     */
    public int[] getOrder() {
        return order.clone();
    }

    /**
     * Returns the number of features D.
     *
     * @return D
     */
    public int getDimension() {
        return dimension;
    }

    /**
     * Returns the number of outputs per feature P.
     *
     * @return P
     */
    public int getParameterCount() {
        return parameterCount;
    }

    /**
     * Returns the context size, 0 when the network takes none.
     *
     * @return the context size
     */
    public long getContextSize() {
        return contextSize;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        if (x.dimension() != 2 || x.get(1) != dimension) {
            throw new IllegalArgumentException(
                    "Made expects input of shape (batch, " + dimension + "), got " + x);
        }
        if (contextSize > 0 && (inputShapes.length < 2 || inputShapes[1].get(1) != contextSize)) {
            throw new IllegalArgumentException(
                    "Made expects a context of shape (batch, "
                            + contextSize
                            + "), got "
                            + (inputShapes.length < 2 ? "none" : inputShapes[1]));
        }
        Shape shape = x;
        for (Block layer : hidden) {
            layer.initialize(manager, dataType, shape);
            shape = layer.getOutputShapes(new Shape[] {shape})[0];
        }
        for (Block[] block : residual) {
            block[0].initialize(manager, dataType, shape);
            block[1].initialize(manager, dataType, shape);
        }
        for (Block map : contextMaps) {
            map.initialize(manager, dataType, inputShapes[1]);
        }
        output.initialize(manager, dataType, shape);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), (long) parameterCount * dimension)};
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.get(0);
        NDArray context = contextSize > 0 ? inputs.get(1) : null;
        int layer = 0;
        for (Block block : hidden) {
            h =
                    Activation.relu(
                            withContext(
                                    ps, apply(ps, block, h, training), context, layer++, training));
        }
        for (Block[] block : residual) {
            NDArray t =
                    withContext(ps, apply(ps, block[0], h, training), context, layer++, training);
            h = h.add(apply(ps, block[1], Activation.relu(t), training));
        }
        return new NDList(apply(ps, output, h, training));
    }

    private static NDArray apply(ParameterStore ps, Block block, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private NDArray withContext(
            ParameterStore ps, NDArray h, NDArray context, int layer, boolean training) {
        return context == null ? h : h.add(apply(ps, contextMaps.get(layer), context, training));
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(parameterCount);
        os.writeInt(order.length);
        for (int o : order) {
            os.writeInt(o);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "Made: unsupported version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        int p = is.readInt();
        int d = is.readInt();
        if (p != parameterCount || d != dimension) {
            throw new MalformedModelException(
                    "Made: the checkpoint holds "
                            + p
                            + " parameters x "
                            + d
                            + " features, this network has "
                            + parameterCount
                            + " x "
                            + dimension);
        }
        int[] loaded = MadeMasks.readOrder(is, d);
        order = loaded;
        MadeMasks.expect(loaded, hidden, residual, output, parameterCount);
    }

    /** Builds a {@link Made}. */
    public static final class Builder {

        private int dimension;
        private int parameterCount;
        private int[] hiddenSizes = {64, 64};
        private int residualBlocks;
        private long contextSize;
        private Ordering ordering = Ordering.NATURAL;
        private long seed;

        Builder() {}

        /**
         * Sets the number of features D. Required.
         *
         * @param dimension at least 1
         * @return this builder
         */
        public Builder setDimension(long dimension) {
            this.dimension = Math.toIntExact(dimension);
            return this;
        }

        /**
         * Sets the number of outputs per feature P. Required; an autoregressive flow's builder sets
         * it to its bijection's parameter count.
         *
         * @param parameterCount at least 1
         * @return this builder
         */
        public Builder setParameterCount(int parameterCount) {
            this.parameterCount = parameterCount;
            return this;
        }

        /**
         * Sets the widths of the hidden layers. Defaults to {64, 64}.
         *
         * @param hiddenSizes at least one positive width
         * @return this builder
         */
        public Builder optHiddenSizes(int... hiddenSizes) {
            this.hiddenSizes = hiddenSizes.clone();
            return this;
        }

        /**
         * Sets the number of residual masked blocks after the hidden layers, each as wide as the
         * last hidden layer. Defaults to 0.
         *
         * @param residualBlocks at least 0
         * @return this builder
         */
        public Builder optResidualBlocks(int residualBlocks) {
            this.residualBlocks = residualBlocks;
            return this;
        }

        /**
         * Sets the size of a context fed (unmasked) to every hidden layer. Defaults to 0 (none).
         *
         * @param contextSize at least 0
         * @return this builder
         */
        public Builder optContextSize(long contextSize) {
            this.contextSize = contextSize;
            return this;
        }

        /**
         * Sets the order of the features. Defaults to {@link Ordering#NATURAL}.
         *
         * @param ordering the ordering
         * @return this builder
         */
        public Builder optOrdering(Ordering ordering) {
            this.ordering = ordering;
            return this;
        }

        /**
         * Sets the seed of a {@link Ordering#RANDOM} ordering. Defaults to 0.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        void validate() {
            check(dimension >= 1, "Made needs dimension >= 1 (setDimension), got " + dimension);
            check(
                    dimension >= 2,
                    "Made needs dimension >= 2: with one feature every input weight is masked (the"
                            + " feature depends on nothing but a context); use ElementwiseTransform");
            check(
                    parameterCount >= 1,
                    "Made needs parameterCount >= 1 (setParameterCount), got " + parameterCount);
            check(hiddenSizes.length > 0, "Made needs at least one hidden layer, got none");
            for (int h : hiddenSizes) {
                check(h > 0, "Made's hidden sizes must be positive, got " + h);
            }
            check(residualBlocks >= 0, "residual blocks must be >= 0, got " + residualBlocks);
            check(contextSize >= 0, "context size must be >= 0, got " + contextSize);
            check(ordering != null, "ordering must not be null");
        }

        private static void check(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }

        /**
         * Builds the network.
         *
         * @return the network
         */
        public Made build() {
            validate();
            return new Made(this);
        }
    }
}
