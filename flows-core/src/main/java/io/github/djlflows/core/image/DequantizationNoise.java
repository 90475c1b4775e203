package io.github.djlflows.core.image;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;
import io.github.djlflows.core.nn.Conditioners;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The conditional flow q(u | c) of variational dequantization: Gaussian noise ε in R^D becomes
 * dequantization noise u in (0, 1)^D, shifted and scaled per feature by a network of the context c
 * (the discrete data point), then squashed by a sigmoid.
 *
 * <pre>
 * (mu, s) = MLP(c)            (each (batch, D); the last layer starts at zero)
 * y       = mu + σ0 exp(s) * ε  (σ0 = 1.75: a new layer's u = sigmoid(σ0 ε) is nearly uniform)
 * u       = sigmoid(y)
 * logDet  = sum(s + ln σ0) + sum(log u + log(1 - u))     (log |det du/dε|)
 * inverse: ε = (logit(u) - mu) * exp(-s) / σ0
 * </pre>
 *
 * <p>Shapes: ε and u (batch, D); context (batch, contextSize). Cost: one MLP pass and O(D) in both
 * directions; analytic inverse. {@link VariationalDequantize} draws ε and uses this layer's log-det
 * for log q(u | x) = log N(ε) - logDet.
 *
 * <p>Reference: Ho et al., "Flow++: Improving Flow-Based Generative Models with Variational
 * Dequantization and Architecture Design", ICML 2019 (section 3.1; this layer is the simplest such
 * flow: one conditional elementwise affine map and a sigmoid).
 *
 * <pre>{@code
 * DequantizationNoise q = new DequantizationNoise(64, 64, 128);
 * NDList u = q.forward(ps, new NDList(eps, x), true); // u, log|det du/deps|
 * }</pre>
 */
public class DequantizationNoise extends FlowBlock {

    private static final byte VERSION = 2;

    /**
     * The scale σ0 of a new layer's noise, u = sigmoid(σ0 ε): the logistic-normal closest to the
     * uniform (KL about 0.0095 nats per feature; 0.19 at σ0 = 1), so q starts as nearly the uniform
     * dequantization.
     */
    public static final double INITIAL_SCALE = 1.75;

    private final long features;
    private final long contextSize;
    private final Block net;
    // version 1 files had no σ0 (it was 1); kept in the saved metadata since version 2
    private double initialScale = INITIAL_SCALE;

    /**
     * Creates the layer with a multilayer perceptron of the context.
     *
     * @param features the number of features D of ε and u, positive
     * @param contextSize the number of context features, positive
     * @param hiddenSizes the hidden widths of the context network, at least one
     */
    public DequantizationNoise(long features, long contextSize, int... hiddenSizes) {
        this(features, contextSize, mlp(features, contextSize, hiddenSizes));
    }

    private DequantizationNoise(long features, long contextSize, Block net) {
        super(VERSION);
        this.features = features;
        this.contextSize = contextSize;
        this.net = addChildBlock("net", net);
    }

    private static Block mlp(long features, long contextSize, int... hiddenSizes) {
        Preconditions.checkArgument(features > 0, "features must be positive, got " + features);
        Preconditions.checkArgument(
                contextSize > 0, "context size must be positive, got " + contextSize);
        Preconditions.checkArgument(
                hiddenSizes.length > 0, "the context network needs a hidden layer");
        return Conditioners.mlp(2 * features, hiddenSizes);
    }

    /**
     * The layer for images: ε, u and the context are flattened images of one shape (D = C·H·W
     * features each), and (mu, s) come from Glow's convolutional network of the context image
     * ({@link ImageConditioners#convNet}, 2C output channels, zero-initialised last layer), so the
     * noise of each pixel depends on its neighbourhood rather than on a bottleneck of the whole
     * image.
     *
     * <p>Cost per sample: that of {@link ImageConditioners#convNet} on the image.
     *
     * @param imageShape the image shape (C, H, W)
     * @param hiddenChannels the hidden channels of the network, positive
     * @return the layer, with context size D
     * @throws IllegalArgumentException for a shape that is not (C, H, W) or a non-positive width
     */
    public static DequantizationNoise convolutional(Shape imageShape, int hiddenChannels) {
        Preconditions.checkArgument(
                imageShape.dimension() == 3 && imageShape.size() > 0,
                "a convolutional q needs an image shape (C, H, W), got " + imageShape);
        long d = imageShape.size();
        Shape image = imageShape;
        SequentialBlock net =
                new SequentialBlock()
                        .add(
                                x ->
                                        new NDList(
                                                x.singletonOrThrow()
                                                        .reshape(new Shape(-1).addAll(image))))
                        .add(
                                ImageConditioners.convNet(
                                        Math.toIntExact(2 * image.get(0)), hiddenChannels))
                        // channels [0, C) are mu, [C, 2C) are s: flattened they are the two halves
                        .add(x -> new NDList(x.singletonOrThrow().reshape(-1, 2 * d)));
        return new DequantizationNoise(d, d, net);
    }

    /** {@inheritDoc} */
    @Override
    public long getContextSize() {
        return contextSize;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Preconditions.checkArgument(
                x.dimension() == 2 && x.get(1) == features,
                "DequantizationNoise expects (batch, " + features + "), got " + x);
        net.initialize(manager, dataType, new Shape(x.get(0), contextSize));
    }

    private NDList shiftAndLogScale(
            ParameterStore ps, NDArray like, NDArray context, boolean training) {
        NDArray out = net.forward(ps, new NDList(context), training).singletonOrThrow();
        return out.split(2, 1);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore ps, NDArray eps, NDArray context, boolean training) {
        NDList params = shiftAndLogScale(ps, eps, context, training);
        NDArray s = params.get(1).add(Tensors.scalar(eps, Math.log(initialScale)));
        NDArray y = params.get(0).add(s.exp().mul(eps));
        NDArray u = Activation.sigmoid(y);
        // log u + log(1 - u) = -softplus(-y) - softplus(y), stable for large |y|
        NDArray logSlope = Activation.softPlus(y.neg()).add(Activation.softPlus(y)).neg();
        return result(u, LogDets.sumPerSample(s.add(logSlope)));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore ps, NDArray u, NDArray context) {
        NDList params = shiftAndLogScale(ps, u, context, false);
        NDArray s = params.get(1).add(Tensors.scalar(u, Math.log(initialScale)));
        NDArray logU = u.log();
        NDArray log1mU = u.neg().add(u.onesLike()).log();
        NDArray eps = logU.sub(log1mU).sub(params.get(0)).mul(s.neg().exp());
        return result(eps, LogDets.sumPerSample(s.add(logU).add(log1mU)).neg());
    }

    /**
     * Returns σ0, the scale of the noise at the start of training ({@link #INITIAL_SCALE}; 1 for a
     * layer loaded from a version-1 file).
     *
     * @return σ0
     */
    public double getInitialScale() {
        return initialScale;
    }

    /**
     * Sets σ0 of a new layer (the scale of its noise before training moves it).
     *
     * @param initialScale σ0, positive
     * @return this layer
     */
    public DequantizationNoise setInitialScale(double initialScale) {
        Preconditions.checkArgument(
                initialScale > 0 && Double.isFinite(initialScale),
                "the initial scale must be positive, got " + initialScale);
        this.initialScale = initialScale;
        return this;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeDouble(initialScale);
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != 1 && loadVersion != VERSION) {
            throw new MalformedModelException(
                    "DequantizationNoise: unsupported version "
                            + loadVersion
                            + ", expected 1 or "
                            + VERSION);
        }
        readInputShapes(is);
        initialScale = loadVersion == 1 ? 1 : is.readDouble();
    }
}
