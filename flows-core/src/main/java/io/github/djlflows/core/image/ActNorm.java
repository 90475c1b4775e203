package io.github.djlflows.core.image;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Parameters;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Glow's activation normalisation: a per-channel affine map with data-dependent initialisation.
 *
 * <pre>
 * z[b, c, h, w] = (x[b, c, h, w] + bias[c]) * exp(logScale[c])
 * logDet        = H * W * sum_c logScale[c]
 * </pre>
 *
 * <p>Initialisation: the first forward pass with {@code training = true} on an uninitialised layer
 * sets {@code bias = -mean_c(x)} and {@code logScale = -log(std_c(x) + 1e-6)}, the statistics taken
 * over batch, height and width, so that this first batch leaves the layer with per-channel mean 0
 * and standard deviation 1. The "initialised" flag is saved with the model (metadata), so a loaded
 * model is never re-initialised. After initialisation both are ordinary trainable parameters and
 * the layer is batch-independent. Before initialisation (eval only) it is the identity.
 *
 * <p>Shapes: (batch, C, H, W); parameters (1, C, 1, 1). Cost: O(CHW) per sample in both directions;
 * analytic inverse {@code x = z * exp(-logScale) - bias}.
 *
 * <p>Reference: Kingma and Dhariwal, "Glow: Generative Flow with Invertible 1x1 Convolutions",
 * NeurIPS 2018.
 *
 * <pre>{@code
 * ActNorm norm = new ActNorm();
 * }</pre>
 */
public class ActNorm extends FlowBlock {

    private static final byte VERSION = 1;
    private static final double EPS = 1e-6;

    private final Parameter logScale;
    private final Parameter bias;
    private boolean dataInitialized;

    /** Creates an uninitialised ActNorm layer. */
    public ActNorm() {
        super(VERSION);
        logScale = addParameter(Parameters.zeros("logScale"));
        bias = addParameter(Parameters.zeros("bias"));
    }

    /**
     * Whether the data-dependent initialisation has run (or was loaded).
     *
     * @return true once initialised
     */
    public boolean isDataInitialized() {
        return dataInitialized;
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        if (x.dimension() != 4) {
            throw new IllegalArgumentException(
                    "ActNorm expects images (batch, channels, height, width), got " + x);
        }
        Shape p = new Shape(1, x.get(1), 1, 1);
        logScale.setShape(p);
        bias.setShape(p);
    }

    private void initializeFrom(NDArray x) {
        // (C, B*H*W): the PyTorch engine's mean takes one axis only
        long c = x.getShape().get(1);
        NDArray flat = x.transpose(1, 0, 2, 3).reshape(c, -1);
        NDArray mean = flat.mean(new int[] {1}, true);
        NDArray std = flat.sub(mean).square().mean(new int[] {1}).sqrt();
        mean = mean.reshape(c);
        NDArray s = std.add(Tensors.scalar(std, EPS)).log().neg();
        write(bias.getArray(), mean.neg());
        write(logScale.getArray(), s);
        dataInitialized = true;
    }

    private static void write(NDArray target, NDArray value) {
        // the batch's manager owns the converted copy; nothing is attached to the model's
        NDArray typed = value.toType(target.getDataType(), false).reshape(target.getShape());
        target.set(typed.toByteBuffer());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        if (training && !dataInitialized) {
            initializeFrom(x);
        }
        NDArray s = Tensors.param(parameterStore, logScale, x, training);
        NDArray b = Tensors.param(parameterStore, bias, x, training);
        NDArray z = x.add(b).mul(s.exp());
        return result(z, logDet(x, s));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        NDArray s = Tensors.param(parameterStore, logScale, z, false);
        NDArray b = Tensors.param(parameterStore, bias, z, false);
        NDArray x = z.mul(s.neg().exp()).sub(b);
        return result(x, logDet(z, s).neg());
    }

    private static NDArray logDet(NDArray like, NDArray s) {
        Shape shape = like.getShape();
        double pixels = (double) shape.get(2) * shape.get(3);
        return LogDets.perSample(like, Tensors.mul(s.sum(), pixels));
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeBoolean(dataInitialized);
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "ActNorm: unsupported version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        dataInitialized = is.readBoolean();
    }
}
