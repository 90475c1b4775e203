package io.github.djlflows.core.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;
import java.util.SplittableRandom;

/**
 * Variational dequantization (Flow++): discrete data x in {0, ..., L-1}^D becomes z = (x + u) / L
 * with the noise u drawn from a learned conditional flow q(u | x) ({@link DequantizationNoise})
 * instead of the uniform, and the log-det carries -log q, so the model's log-probability is a
 * one-sample estimate of the variational lower bound on log P(x).
 *
 * <pre>
 * ε ~ N(0, I): drawn afresh in training; in evaluation from a generator seeded by the row's values
 * u = q(ε; x) in (0, 1)^D
 * z      = (x + u) / L
 * logDet = -D ln L - log q(u | x),     log q(u | x) = log N(ε) - log|det du/dε|
 * so  log p(z) + logDet = log p_model(z) - D ln L - log q(u | x),  whose mean over ε is
 *     E_q[log p((x + u) / L) / L^D - log q(u | x)]  &lt;=  log P(x)      (Jensen)
 * inverse: x = floor(L z) clipped to 0..L-1 (a quantizer), logDet = +D ln L
 * </pre>
 *
 * <p>So {@code -logProb / (D ln 2)} of a model that starts with this layer is an upper bound on its
 * bits per dimension (in expectation over ε), not the bits per dimension itself. In evaluation each
 * row's ε comes from a generator seeded by a hash of the row's values ({@link #EVALUATION_SALT}
 * mixed in): a row's log-probability is then a fixed one-draw estimate, the same on every call and
 * in any batch, and distinct rows get independent draws (the values travel to the host once per
 * pass for this); uniform dequantization ({@link Dequantize}) is the special case q = U[0, 1)^D.
 * The layer is not a bijection (its forward samples, its inverse quantizes), so it has no contract
 * case; log-probs of sampled points ({@code sampleWithLogProb}) do not include q and are not
 * densities.
 *
 * <p>Shapes: x (batch, ...) holding integers, any event shape of D features. Cost: one pass of q's
 * context network in the forward direction, O(D) for the inverse. Batch-independent.
 *
 * <p>Reference: Ho et al., "Flow++: Improving Flow-Based Generative Models with Variational
 * Dequantization and Architecture Design", ICML 2019.
 *
 * <pre>{@code
 * FlowBlock dequantize = VariationalDequantize.builder().setInputShape(new Shape(1, 28, 28)).build();
 * FlowBlock flow = FlowSequence.of(dequantize, new LogitTransform(0.05), glow);
 * }</pre>
 */
public class VariationalDequantize extends FlowBlock {

    private static final byte VERSION = 1;

    /** Mixed into every row's hash before it seeds the row's evaluation noise. */
    public static final long EVALUATION_SALT = 0x5DEECE66DL;

    private final long features;
    private final int levels;
    private final DequantizationNoise noise;

    private VariationalDequantize(Builder builder) {
        super(VERSION);
        this.features = builder.inputShape.size();
        this.levels = builder.levels;
        this.noise =
                addChildBlock(
                        "noise",
                        builder.hiddenChannels > 0
                                ? DequantizationNoise.convolutional(
                                        builder.inputShape, builder.hiddenChannels)
                                : new DequantizationNoise(features, features, builder.hiddenSizes));
        noise.setInitialScale(builder.initialScale);
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the number of levels L.
     *
     * @return the levels
     */
    public int getLevels() {
        return levels;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Preconditions.checkArgument(
                Tensors.featureSize(x) == features,
                "VariationalDequantize was built for " + features + " features, got input " + x);
        Shape flat = new Shape(x.get(0), features);
        noise.initialize(manager, dataType, flat, flat);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(ParameterStore ps, NDArray x, NDArray context, boolean training) {
        long batch = x.getShape().get(0);
        NDArray flat = x.reshape(batch, features);
        NDArray scaled = Tensors.div(flat, levels - 1).sub(Tensors.scalar(flat, 0.5));
        NDArray eps =
                training
                        ? x.getManager().randomNormal(0, 1, flat.getShape(), x.getDataType())
                        : rowSeededNoise(flat);
        NDList u = noise.forward(ps, new NDList(eps, scaled), training);
        double logNormalizer = 0.5 * features * Math.log(2 * Math.PI);
        NDArray logNormal =
                LogDets.sumPerSample(eps.square())
                        .mul(Tensors.scalar(eps, -0.5))
                        .sub(Tensors.scalar(eps, logNormalizer));
        NDArray logQ = logNormal.sub(u.get(1));
        NDArray z = Tensors.div(flat.add(u.get(0)), levels).reshape(x.getShape());
        NDArray logDet = logQ.neg().sub(Tensors.scalar(logQ, features * Math.log(levels)));
        return result(z, logDet);
    }

    /** ε for evaluation: each row's draws from a generator seeded by a hash of its values. */
    private static NDArray rowSeededNoise(NDArray flat) {
        int rows = Math.toIntExact(flat.getShape().get(0));
        int width = Math.toIntExact(flat.getShape().get(1));
        float[] values = flat.toType(DataType.FLOAT32, false).toFloatArray();
        float[] eps = new float[values.length];
        for (int r = 0; r < rows; r++) {
            long hash = EVALUATION_SALT;
            for (int j = r * width; j < (r + 1) * width; j++) {
                hash = 31 * hash + Float.floatToIntBits(values[j]);
            }
            SplittableRandom generator = new SplittableRandom(hash);
            for (int j = r * width; j < (r + 1) * width; j++) {
                eps[j] = (float) generator.nextGaussian();
            }
        }
        NDArray noise = flat.getManager().create(eps, flat.getShape());
        return noise.toType(flat.getDataType(), false);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore ps, NDArray z, NDArray context) {
        NDArray x = Tensors.mul(z, levels).floor().clip(0, levels - 1);
        return result(x, LogDets.perSample(z, Tensors.scalar(z, features * Math.log(levels))));
    }

    /** Builds a {@link VariationalDequantize}. */
    public static final class Builder {

        private Shape inputShape;
        private int levels = 256;
        private int[] hiddenSizes = {128};
        private int hiddenChannels;
        private double initialScale = DequantizationNoise.INITIAL_SCALE;

        private Builder() {}

        /**
         * Sets the shape of one sample (without the batch axis).
         *
         * @param inputShape the event shape
         * @return this builder
         */
        public Builder setInputShape(Shape inputShape) {
            this.inputShape = inputShape;
            return this;
        }

        /**
         * Sets the number of discrete levels L. Defaults to 256 (8-bit pixels).
         *
         * @param levels the levels, at least 2
         * @return this builder
         */
        public Builder optLevels(int levels) {
            this.levels = levels;
            return this;
        }

        /**
         * Sets the hidden widths of q's context network. Defaults to one layer of 128.
         *
         * @param hiddenSizes the widths, at least one
         * @return this builder
         */
        public Builder optHiddenSizes(int... hiddenSizes) {
            this.hiddenSizes = hiddenSizes.clone();
            return this;
        }

        /**
         * Gives q a convolutional context network of this many hidden channels ({@link
         * DequantizationNoise#convolutional}) instead of the perceptron of {@link #optHiddenSizes};
         * for image shapes (C, H, W). Defaults to 0: the perceptron.
         *
         * @param hiddenChannels the hidden channels, positive, or 0 for the perceptron
         * @return this builder
         */
        public Builder optHiddenChannels(int hiddenChannels) {
            this.hiddenChannels = hiddenChannels;
            return this;
        }

        /**
         * Sets σ0, the scale of q's noise before training: u = sigmoid(σ0 ε) at the start. Defaults
         * to {@link DequantizationNoise#INITIAL_SCALE}, the logistic-normal nearest the uniform.
         *
         * @param initialScale σ0, positive
         * @return this builder
         */
        public Builder optInitialScale(double initialScale) {
            this.initialScale = initialScale;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         * @throws IllegalArgumentException when the shape is missing or a value is out of range
         */
        public VariationalDequantize build() {
            Preconditions.checkArgument(
                    inputShape != null && inputShape.size() > 0,
                    "an input shape is required, got " + inputShape);
            Preconditions.checkArgument(levels >= 2, "levels must be at least 2, got " + levels);
            Preconditions.checkArgument(
                    hiddenSizes.length > 0, "q's context network needs a hidden layer");
            Preconditions.checkArgument(
                    initialScale > 0 && Double.isFinite(initialScale),
                    "the initial scale must be positive, got " + initialScale);
            Preconditions.checkArgument(
                    hiddenChannels >= 0,
                    "hidden channels must be positive (0 for the perceptron), got "
                            + hiddenChannels);
            Preconditions.checkArgument(
                    hiddenChannels == 0 || inputShape.dimension() == 3,
                    "a convolutional q needs an image shape (C, H, W), got " + inputShape);
            return new VariationalDequantize(this);
        }
    }
}
