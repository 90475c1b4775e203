package io.github.djlflows.core.coupling;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.bijection.ElementwiseBijection;
import io.github.djlflows.core.nn.Conditioners;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The coupling structure: the kept features pass unchanged and condition, through a conditioner
 * network, an elementwise bijection of the transformed ones.
 *
 * <pre>
 * params = conditioner(concat(x_a, context))      x_a: the kept features
 * z_b    = f(x_b; params),  z_a = x_a
 * logDet = sum(log|f'(x_b; params)|)
 * </pre>
 *
 * <p>The conditioner reads only the kept features (plus the context) and outputs only the
 * transformed features' parameters, parameter-major: (batch, P * |b|) for vectors, (batch, P * |b|,
 * H, W) for CHANNEL masks on images, where P is the bijection's parameter count (zuko's {@code
 * MLP(features_a + context, features_b * total)}). HALF and CHANNEL masks keep a contiguous block;
 * ALTERNATING is a fixed index selection, saved with the layer. CHECKERBOARD keeps the spatial
 * layout: its conditioner reads the masked image (batch, C, H, W) and outputs (batch, P * C, H, W),
 * and the result is blended with the mask. The layer computes the same values whatever the batch.
 *
 * <p>Both directions cost one conditioner pass (parallel); the inverse is analytic when the
 * bijection's is. A context, when configured, is concatenated to the kept features (vectors only).
 *
 * <p>References: Dinh et al. NICE (2014), Real NVP (2017); Durkan et al., Neural Spline Flows
 * (2019).
 *
 * <pre>{@code
 * CouplingFlow layer = CouplingFlow.builder(new AffineBijection(3))
 *         .setConditioner(Conditioners.mlp(2 * 2, 32, 32)) // D = 4: 2 parameters x 2 transformed
 *         .optMask(MaskType.HALF)
 *         .build();
 * }</pre>
 */
public class CouplingFlow extends FlowBlock {

    /** 2: the conditioner reads the kept features only (1: the masked input, all parameters). */
    static final byte VERSION = 2;

    private final ElementwiseBijection bijection;
    private final Block conditioner;
    private final MaskType maskType;
    private final boolean invertMask;
    private final long contextSize;
    private CouplingLayout layout;

    /**
     * Creates the layer from a builder.
     *
     * @param builder the configured builder
     */
    protected CouplingFlow(BaseBuilder<?> builder) {
        super(VERSION);
        this.bijection = builder.bijection;
        this.maskType = builder.maskType;
        this.invertMask = builder.invertMask;
        this.contextSize = builder.contextSize;
        this.conditioner = addChildBlock("conditioner", builder.conditioner());
    }

    /**
     * Creates a builder for a coupling with the given bijection.
     *
     * @param bijection the per-feature map
     * @return a new builder
     */
    public static Builder builder(ElementwiseBijection bijection) {
        Builder builder = new Builder();
        builder.bijection = bijection;
        return builder;
    }

    /** {@inheritDoc} */
    @Override
    public long getContextSize() {
        return contextSize;
    }

    /**
     * Returns the per-feature map.
     *
     * @return the bijection
     */
    public ElementwiseBijection getBijection() {
        return bijection;
    }

    /**
     * Returns the mask type.
     *
     * @return the mask
     */
    public MaskType getMaskType() {
        return maskType;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        CouplingLayout l = layoutFor(x.slice(1));
        Preconditions.checkArgument(
                contextSize == 0 || x.dimension() == 2,
                "a context is supported for vector inputs only, got input " + x);
        Shape in = l.conditionerInput(x, contextSize);
        conditioner.initialize(manager, dataType, in);
        Shape out = conditioner.getOutputShapes(new Shape[] {in})[0];
        long expected = bijection.getParameterCount() * l.parameterFeatures(x);
        if (out.get(0) != x.get(0) || out.size() / out.get(0) != expected) {
            throw new IllegalArgumentException(
                    "the conditioner must output (batch, "
                            + expected
                            + " = "
                            + bijection.getParameterCount()
                            + " parameters x "
                            + l.parameterFeatures(x)
                            + " transformed features), got "
                            + out);
        }
        l.cacheConstants(manager, dataType);
    }

    private CouplingLayout layoutFor(Shape features) {
        CouplingLayout l = layout;
        if (l == null || !l.featureShape().equals(features)) {
            l = new CouplingLayout(maskType, invertMask, features);
            layout = l;
        }
        return l;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        return couple(parameterStore, x, context, training, false);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        return couple(parameterStore, z, context, false, true);
    }

    private NDList couple(
            ParameterStore ps, NDArray x, NDArray context, boolean training, boolean inverse) {
        CouplingLayout l = layoutFor(x.getShape().slice(1));
        if (l.masked()) {
            NDArray[] m = l.masks(x);
            NDArray kept = x.mul(m[0]);
            NDList out = map(x, condition(ps, kept, context, training), inverse);
            NDArray y = kept.add(out.get(0).mul(m[1]));
            return result(y, LogDets.sumPerSample(out.get(1).mul(m[1])));
        }
        NDArray[] parts = l.split(x);
        NDList out = map(parts[1], condition(ps, parts[0], context, training), inverse);
        return result(l.join(parts[0], out.get(0)), LogDets.sumPerSample(out.get(1)));
    }

    private NDArray condition(ParameterStore ps, NDArray kept, NDArray context, boolean training) {
        NDArray in = context == null ? kept : NDArrays.concat(new NDList(kept, context), 1);
        return conditioner.forward(ps, new NDList(in), training).singletonOrThrow();
    }

    private NDList map(NDArray input, NDArray raw, boolean inverse) {
        NDList params =
                ElementwiseBijection.cut(raw, bijection.getParameterShapes(), input.getShape());
        return inverse ? bijection.inverse(input, params) : bijection.forward(input, params);
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        CouplingCheckpoints.writeHeader(os, bijection.getName(), maskType, invertMask);
        layoutFor(inputShapes[0].slice(1)).writeOrder(os);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A version-1 checkpoint (a conditioner that read the masked input and wrote every feature's
     * parameters) is converted exactly: its first layer keeps the kept features' input columns and
     * its last layer the transformed features' outputs ({@link CouplingCheckpoints}).
     */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        byte version = is.readByte();
        loadMetadata(version, is);
        conditioner.loadParameters(manager, is);
        if (version == 1 && !layout.masked()) {
            CouplingCheckpoints.sliceVersionOne(
                    conditioner,
                    layout,
                    inputShapes[0],
                    contextSize,
                    bijection.getParameterCount(),
                    manager);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION && loadVersion != 1) {
            throw new MalformedModelException(
                    "CouplingFlow: unsupported version "
                            + loadVersion
                            + ", expected 1 or "
                            + VERSION);
        }
        readInputShapes(is);
        CouplingCheckpoints.checkHeader(is, bijection.getName(), maskType, invertMask);
        CouplingLayout l = layoutFor(inputShapes[0].slice(1));
        if (loadVersion >= 2) {
            l.checkOrder(is);
        }
    }

    /**
     * The options every coupling preset shares.
     *
     * @param <T> the concrete builder type
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> {

        protected ElementwiseBijection bijection;
        protected Block conditioner;
        protected MaskType maskType = MaskType.HALF;
        protected boolean invertMask;
        protected long contextSize;
        protected long dimension;
        protected int[] hiddenSizes = {64, 64};

        /**
         * Returns this builder.
         *
         * @return this
         */
        protected abstract T self();

        /**
         * Sets the number of features of a vector input; needed when the default MLP conditioner is
         * built.
         *
         * @param dimension the number of features, at least 2
         * @return this builder
         */
        public T setDimension(long dimension) {
            this.dimension = dimension;
            return self();
        }

        /**
         * Sets the mask type. Defaults to {@link MaskType#HALF}.
         *
         * @param maskType the mask
         * @return this builder
         */
        public T optMask(MaskType maskType) {
            this.maskType = maskType;
            return self();
        }

        /**
         * Swaps the conditioning and transformed features. Defaults to false.
         *
         * @param invertMask whether to invert
         * @return this builder
         */
        public T optInvertMask(boolean invertMask) {
            this.invertMask = invertMask;
            return self();
        }

        /**
         * Sets a custom conditioner: it maps the kept features (batch, |a| [+ context]) to the
         * transformed features' parameters (batch, P * |b|), or, for images, (batch, |a|, H, W) to
         * (batch, P * |b|, H, W) with a CHANNEL mask and (batch, C, H, W) to (batch, P * C, H, W)
         * with a CHECKERBOARD mask. Defaults to an MLP with {@link #optHiddenSizes} and a zero last
         * layer (vectors only, needs {@link #setDimension}).
         *
         * @param conditioner the network
         * @return this builder
         */
        public T optConditioner(Block conditioner) {
            this.conditioner = conditioner;
            return self();
        }

        /**
         * Sets the hidden widths of the default MLP conditioner. Defaults to {64, 64}.
         *
         * @param hiddenSizes the widths, each positive
         * @return this builder
         */
        public T optHiddenSizes(int... hiddenSizes) {
            this.hiddenSizes = hiddenSizes.clone();
            return self();
        }

        /**
         * Sets the context size of a conditional coupling. Defaults to 0 (unconditional).
         *
         * @param contextSize the number of context features, at least 0
         * @return this builder
         */
        public T optContextSize(long contextSize) {
            this.contextSize = contextSize;
            return self();
        }

        /** Checks the shared options; called by every preset's {@code build()}. */
        protected void validate() {
            Preconditions.checkArgument(
                    bijection != null, "a coupling needs a bijection, got null");
            Preconditions.checkArgument(maskType != null, "the mask type must not be null");
            Preconditions.checkArgument(
                    contextSize >= 0, "context size must be >= 0, got " + contextSize);
            Preconditions.checkArgument(
                    dimension == 0 || !maskType.forImages(),
                    "a "
                            + maskType
                            + " mask needs images (channels, height, width), but setDimension("
                            + dimension
                            + ") makes this a vector coupling");
            Preconditions.checkArgument(
                    conditioner != null || dimension >= 2,
                    "setDimension (>= 2) is required when no conditioner is given, got "
                            + dimension);
            Preconditions.checkArgument(
                    contextSize == 0 || !maskType.forImages(),
                    "a context is supported for vector couplings only, got mask " + maskType);
        }

        Block conditioner() {
            if (conditioner != null) {
                return conditioner;
            }
            long transformed = maskType.indices(new Shape(dimension), invertMask, false).length;
            return Conditioners.mlp(bijection.getParameterCount() * transformed, hiddenSizes);
        }
    }

    /** Builds a {@link CouplingFlow} with any bijection. */
    public static final class Builder extends BaseBuilder<Builder> {

        Builder() {}

        /**
         * Sets the conditioner. Required unless {@code setDimension} is given.
         *
         * @param conditioner the network
         * @return this builder
         */
        public Builder setConditioner(Block conditioner) {
            return optConditioner(conditioner);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the coupling layer
         * @throws IllegalArgumentException for a bad configuration
         */
        public CouplingFlow build() {
            validate();
            return new CouplingFlow(this);
        }
    }
}
