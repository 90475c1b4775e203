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
import io.github.djlflows.core.internal.Tensors;
import io.github.djlflows.core.nn.MlpConditioner;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The coupling structure: features where the mask is 1 pass unchanged and condition, through a
 * conditioner network, an elementwise bijection of the others.
 *
 * <pre>
 * params = conditioner(concat(m * x, context))       reshaped to (batch, P, features...)
 * z      = m * x + (1 - m) * f(x; params)
 * logDet = sum((1 - m) * log|f'(x; params)|)
 * </pre>
 *
 * <p>Both directions cost one conditioner pass (parallel); the inverse is analytic when the
 * bijection's is. The conditioner maps (batch, features) — or (batch, C, H, W) for images — to
 * (batch, P * features), parameter-major. A context, when configured, is concatenated to the masked
 * input (vectors only).
 *
 * <p>A HALF mask on vectors with the default MLP ({@link MlpConditioner}) may run block-wise: the
 * network reads the kept block through its first layer's kept columns and computes the
 * transformed block's parameters only, skipping the mask product and half of the first and last
 * layers' work (see {@link ConditionerPass}); the values are the same.
 *
 * <p>References: Dinh et al. NICE (2014), Real NVP (2017); Durkan et al., Neural Spline Flows (2019).
 *
 * <pre>{@code
 * CouplingFlow layer = CouplingFlow.builder(new AffineBijection(3))
 *         .setConditioner(Conditioners.mlp(2 * 4, 32, 32))
 *         .optMask(MaskType.HALF)
 *         .build();
 * }</pre>
 */
public class CouplingFlow extends FlowBlock {

    private static final byte VERSION = 1;

    /**
     * The least work, batch x parameters per feature x features, for which {@link
     * ConditionerPass#AUTO} runs the MLP block-wise. Measured on the benchmark machine (1 thread,
     * same JVM, alternating): RealNVP at 256 x 2 x 64 = 32768 gains nothing either way (0.96-1.02),
     * at 1024 x 2 x 64 it gains 20%, at 256 x 2 x 128 9-15%, NSF at 256 x 23 x 16 3-9%; at 256 x 2
     * x 16 it loses 12-18% (more native calls than it saves arithmetic).
     */
    public static final long BLOCKWISE_MIN_WORK = 1 << 16;

    /**
     * Whether {@link ConditionerPass#AUTO} runs an applicable coupling block-wise: batch x
     * parameters per feature x features reaches {@link #BLOCKWISE_MIN_WORK}.
     *
     * @param batch the batch size
     * @param parameters the bijection's parameters per feature
     * @param features the number of features
     * @return true for the block-wise pass
     */
    public static boolean blockwiseByDefault(long batch, int parameters, long features) {
        return batch * parameters * features >= BLOCKWISE_MIN_WORK;
    }

    private final ElementwiseBijection bijection;
    private final Block conditioner;
    private final MaskType maskType;
    private final boolean invertMask;
    private final long contextSize;
    private float[] mask;
    private Shape featureShape;
    // The mask and its complement as arrays, built once by initialize() in the parameters'
    // manager (before a test may cap it) and reused by every pass whose input has their data
    // type, device and feature shape: two native constants fewer per call. Other inputs (or a
    // block whose parameters were loaded without initialize) build them per call, as before.
    private NDArray[] cachedMasks;
    private Shape cachedFeatures;
    // from the builder; tests of this package switch it to compare the two passes
    ConditionerPass pass;

    /**
     * Creates the layer from a builder.
     *
     * @param builder the configured builder
     */
    protected CouplingFlow(BaseBuilder<?> builder) {
        super(VERSION);
        Preconditions.checkArgument(builder.bijection != null, "a coupling needs a bijection");
        this.bijection = builder.bijection;
        this.maskType = builder.maskType;
        this.invertMask = builder.invertMask;
        this.contextSize = builder.contextSize;
        this.pass = builder.pass;
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

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Preconditions.checkArgument(
                contextSize == 0 || x.dimension() == 2,
                "a context is supported for vector inputs only, got input " + x);
        Shape in = contextSize > 0 ? new Shape(x.get(0), x.get(1) + contextSize) : x;
        conditioner.initialize(manager, dataType, in);
        Shape out = conditioner.getOutputShapes(new Shape[] {in})[0];
        long expected = bijection.getParameterCount() * Tensors.featureSize(x);
        if (Tensors.featureSize(out) != expected || out.get(0) != x.get(0)) {
            throw new IllegalArgumentException(
                    "the conditioner must output (batch, "
                            + expected
                            + " = "
                            + bijection.getParameterCount()
                            + " parameters x "
                            + Tensors.featureSize(x)
                            + " features), got "
                            + out);
        }
        Shape features = x.slice(1);
        maskFor(features);
        cachedMasks = maskArrays(manager, features, dataType);
        cachedFeatures = features;
    }

    private NDArray[] maskArrays(NDManager manager, Shape features, DataType dataType) {
        float[] m = maskFor(features);
        Shape shape = new Shape(1).addAll(features);
        return new NDArray[] {
            Tensors.constant(manager, m, shape, dataType),
            Tensors.constant(manager, complement(m), shape, dataType)
        };
    }

    private float[] maskFor(Shape features) {
        if (mask == null || !features.equals(featureShape)) {
            mask = maskType.values(features, invertMask);
            featureShape = features;
        }
        return mask;
    }

    private NDArray[] masks(NDArray x) {
        Shape features = x.getShape().slice(1);
        NDArray[] cached = cachedMasks;
        if (cached != null && features.equals(cachedFeatures) && Tensors.fits(cached[0], x)) {
            return cached;
        }
        float[] m = maskFor(features);
        Shape shape = new Shape(1).addAll(features);
        return new NDArray[] {Tensors.constant(x, m, shape), Tensors.constant(x, complement(m), shape)};
    }

    private static float[] complement(float[] m) {
        float[] inv = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            inv[i] = 1f - m[i];
        }
        return inv;
    }

    /** The conditioner's output as it comes, (batch, P * features) or its own layout. */
    private NDArray conditionerOutput(
            ParameterStore ps, NDArray masked, NDArray context, boolean training) {
        NDArray in = context == null ? masked : NDArrays.concat(new NDList(masked, context), 1);
        return conditioner.forward(ps, new NDList(in), training).singletonOrThrow();
    }

    /** The conditioner output as (batch, P, features...). */
    private NDArray parameters(NDArray raw, NDArray x) {
        Shape shape = new Shape(x.getShape().get(0), bijection.getParameterCount()).addAll(x.getShape().slice(1));
        return raw.reshape(shape);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        NDList blockwise = blockwise(parameterStore, x, context, training, false);
        if (blockwise != null) {
            return blockwise;
        }
        NDArray[] m = masks(x);
        NDArray kept = x.mul(m[0]);
        return couple(x, kept, m, conditionerOutput(parameterStore, kept, context, training), false);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        NDList blockwise = blockwise(parameterStore, z, context, false, true);
        if (blockwise != null) {
            return blockwise;
        }
        NDArray[] m = masks(z);
        NDArray kept = z.mul(m[0]);
        return couple(z, kept, m, conditionerOutput(parameterStore, kept, context, false), true);
    }

    /**
     * The block-wise pass of a HALF mask on vectors with the default MLP conditioner and no
     * context: the MLP sees the kept block through its first layer's kept columns and computes
     * the transformed block's parameters only ({@link MlpConditioner#forwardBlock}); same values
     * as the masked pass. Returns null when it does not apply or {@link #pass} rules it out.
     */
    private NDList blockwise(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training, boolean inverse) {
        long split = blockSplit(x.getShape(), context != null);
        if (split < 0) {
            return null;
        }
        NDList blocks = x.split(new long[] {split}, 1);
        NDList out = transformBlocks(parameterStore, blocks.get(0), blocks.get(1), training, inverse);
        return result(NDArrays.concat(new NDList(out.get(0), out.get(1)), 1), out.get(2));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A coupling splits where it takes the block-wise pass (HALF mask on vectors, the default
     * MLP conditioner, no context, and {@link #pass} allowing it at this size), at its mask's
     * boundary.
     */
    @Override
    public long blockSplit(Shape shape, boolean hasContext) {
        long split = splitPoint(shape);
        if (pass == ConditionerPass.MASKED
                || !(conditioner instanceof MlpConditioner)
                || !((MlpConditioner) conditioner).supportsBlocks()
                || hasContext
                || maskType != MaskType.HALF
                || split < 0) {
            return -1;
        }
        if (pass == ConditionerPass.AUTO
                && !blockwiseByDefault(shape.get(0), bijection.getParameterCount(), shape.get(1))) {
            return -1;
        }
        return split;
    }

    /** {@inheritDoc} */
    @Override
    public NDList forwardBlocks(
            ParameterStore parameterStore, NDArray first, NDArray second, boolean training) {
        return transformBlocks(parameterStore, first, second, training, false);
    }

    /** {@inheritDoc} */
    @Override
    public NDList inverseBlocks(ParameterStore parameterStore, NDArray first, NDArray second) {
        return transformBlocks(parameterStore, first, second, false, true);
    }

    private NDList transformBlocks(
            ParameterStore parameterStore,
            NDArray first,
            NDArray second,
            boolean training,
            boolean inverse) {
        long split = first.getShape().get(1);
        // without inversion the first block conditions and the second is transformed
        boolean secondTransformed = !invertMask;
        NDArray kept = secondTransformed ? first : second;
        NDArray transformed = secondTransformed ? second : first;
        MlpConditioner mlp = (MlpConditioner) conditioner;
        long inputFrom = secondTransformed ? 0 : split;
        int count = bijection.getParameterCount();
        long outputFrom = secondTransformed ? split : 0;
        long width = transformed.getShape().get(1);
        NDArray raw = mlp.forwardBlock(parameterStore, kept, inputFrom, count, outputFrom, width, training);
        NDList out = bijection.transform(transformed, raw, width, 0, width, inverse);
        NDArray logDet = LogDets.sumPerSample(out.get(1));
        return secondTransformed
                ? new NDList(first, out.get(0), logDet)
                : new NDList(out.get(0), second, logDet);
    }

    /** The output in feature order (kept and transformed blocks) and the summed log-det. */
    private NDList join(NDList out, NDArray kept) {
        NDList ordered = invertMask ? new NDList(out.get(0), kept) : new NDList(kept, out.get(0));
        return result(NDArrays.concat(ordered, 1), LogDets.sumPerSample(out.get(1)));
    }

    /**
     * Applies the bijection to the transformed features. HALF and CHANNEL masks keep one
     * contiguous block of axis 1, so the bijection runs on the transformed block alone (half the
     * elementwise work, forward and backward) and the output is the concatenation of the two
     * blocks; other masks blend the full-width result with the mask. Both compute the same function
     * of the same parameters: the conditioner outputs for kept features are unused either way.
     * The bijection takes the transformed block's parameters from the conditioner output itself
     * ({@link ElementwiseBijection#transform}).
     */
    private NDList couple(NDArray x, NDArray kept, NDArray[] m, NDArray raw, boolean inverse) {
        long split = splitPoint(x.getShape());
        if (split < 0) {
            NDArray params = parameters(raw, x);
            NDList out = inverse ? bijection.inverse(x, params) : bijection.forward(x, params);
            NDArray y = kept.add(out.get(0).mul(m[1]));
            return result(y, LogDets.sumPerSample(out.get(1).mul(m[1])));
        }
        long[] at = {split};
        NDList blocks = x.split(at, 1);
        // without inversion the first block conditions and the second is transformed
        int t = invertMask ? 0 : 1;
        long features = x.getShape().get(1);
        NDList out = bijection.transform(
                blocks.get(t), raw, features, t == 0 ? 0 : split, t == 0 ? split : features, inverse);
        return join(out, blocks.get(1 - t));
    }

    /** The first index of the second block along axis 1 for HALF and CHANNEL masks, else -1. */
    private long splitPoint(Shape shape) {
        boolean contiguous =
                (maskType == MaskType.HALF && shape.dimension() == 2)
                        || (maskType == MaskType.CHANNEL && shape.dimension() == 4);
        return contiguous ? (shape.get(1) + 1) / 2 : -1;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeUTF(bijection.getName());
        os.writeUTF(maskType.name());
        os.writeBoolean(invertMask);
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "CouplingFlow: unsupported version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        String name = is.readUTF();
        String maskName = is.readUTF();
        boolean inverted = is.readBoolean();
        if (!name.equals(bijection.getName())
                || !maskName.equals(maskType.name())
                || inverted != invertMask) {
            throw new MalformedModelException(
                    "CouplingFlow: the checkpoint holds a "
                            + name
                            + " coupling with mask "
                            + maskName
                            + (inverted ? " (inverted)" : "")
                            + ", but this layer is "
                            + bijection.getName()
                            + " with mask "
                            + maskType
                            + (invertMask ? " (inverted)" : ""));
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
        protected ConditionerPass pass = ConditionerPass.AUTO;

        /**
         * Returns this builder.
         *
         * @return this
         */
        protected abstract T self();

        /**
         * Sets the number of features of a vector input; needed when the default MLP conditioner
         * is built.
         *
         * @param dimension the number of features
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
         * Sets a custom conditioner; it maps (batch, features [+ context]) to (batch, P *
         * features). Defaults to an MLP with {@link #optHiddenSizes} and a zero last layer.
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
         * @param hiddenSizes the widths
         * @return this builder
         */
        public T optHiddenSizes(int... hiddenSizes) {
            this.hiddenSizes = hiddenSizes.clone();
            return self();
        }

        /**
         * Sets the context size of a conditional coupling. Defaults to 0 (unconditional).
         *
         * @param contextSize the number of context features
         * @return this builder
         */
        public T optContextSize(long contextSize) {
            Preconditions.checkArgument(contextSize >= 0, "context size must be >= 0, got " + contextSize);
            this.contextSize = contextSize;
            return self();
        }

        /**
         * Sets how a HALF coupling on vectors evaluates its default MLP conditioner. Defaults to
         * {@link ConditionerPass#AUTO}. Both passes compute the same values.
         *
         * @param pass the pass
         * @return this builder
         */
        public T optConditionerPass(ConditionerPass pass) {
            Preconditions.checkArgument(pass != null, "the conditioner pass must not be null");
            this.pass = pass;
            return self();
        }

        Block conditioner() {
            if (conditioner != null) {
                return conditioner;
            }
            Preconditions.checkArgument(
                    dimension > 0,
                    "setDimension is required when no conditioner is given (got " + dimension + ")");
            return io.github.djlflows.core.nn.Conditioners.mlp(
                    bijection.getParameterCount() * dimension, hiddenSizes);
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
         */
        public CouplingFlow build() {
            Preconditions.checkArgument(bijection != null, "a coupling needs a bijection");
            return new CouplingFlow(this);
        }
    }

    /** How a coupling evaluates its conditioner (see {@link BaseBuilder#optConditionerPass}). */
    public enum ConditionerPass {
        /**
         * Block-wise when it applies (HALF mask on vectors, default MLP conditioner, no context)
         * and batch x parameters x features reaches {@link #BLOCKWISE_MIN_WORK}; masked otherwise.
         */
        AUTO,
        /** Block-wise whenever it applies, whatever the size. */
        BLOCKWISE,
        /** Always the full network on the masked input. */
        MASKED
    }
}
