package io.github.djlflows.core.image;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.InputOutsideDomainException;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Real NVP's logit pre-processing: maps [0, 1] to the real line.
 *
 * <pre>
 * p      = alpha + (1 - 2 alpha) · x
 * y      = logit(p) = log p - log(1 - p)
 * logDet = Σ [ log(1 - 2 alpha) - log p - log(1 - p) ]
 * inverse: x = (sigmoid(y) - alpha) / (1 - 2 alpha)
 * </pre>
 *
 * <p>alpha in [0, 0.5) keeps p away from 0 and 1 (Real NVP uses 0.05). Inputs outside [0, 1] (or
 * outside the open (0, 1) when alpha = 0) throw {@link InputOutsideDomainException}. Cost: O(D)
 * elementwise in both directions, analytic inverse.
 *
 * <p>Reference: Dinh, Sohl-Dickstein and Bengio, "Density estimation using Real NVP", ICLR 2017,
 * section 4.1.
 *
 * <pre>{@code
 * LogitTransform logit = new LogitTransform(0.05);
 * }</pre>
 */
public class LogitTransform extends FlowBlock {

    private static final byte VERSION = 1;

    private final double alpha;

    /**
     * Creates the layer.
     *
     * @param alpha the margin, in [0, 0.5)
     */
    public LogitTransform(double alpha) {
        super(VERSION);
        if (!(alpha >= 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("alpha must be in [0, 0.5), got " + alpha);
        }
        this.alpha = alpha;
    }

    /**
     * Returns the margin alpha.
     *
     * @return alpha
     */
    public double getAlpha() {
        return alpha;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        double min = x.min().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        double max = x.max().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        boolean outside = alpha > 0 ? (min < 0 || max > 1) : (min <= 0 || max >= 1);
        if (outside || Double.isNaN(min) || Double.isNaN(max)) {
            throw new InputOutsideDomainException(
                    "LogitTransform expects inputs in "
                            + (alpha > 0 ? "[0, 1]" : "(0, 1)")
                            + ", got values in ["
                            + min
                            + ", "
                            + max
                            + "]; scale the inputs to [0, 1] first (for 8-bit pixels 0-255, put a Dequantize layer before this one)");
        }
        NDArray p = Tensors.mul(x, 1 - 2 * alpha).add(Tensors.scalar(x, alpha));
        NDArray logP = p.log();
        NDArray log1mP = Tensors.scalar(p, 1).sub(p).log();
        NDArray y = logP.sub(log1mP);
        NDArray perFeature = Tensors.scalar(x, Math.log(1 - 2 * alpha)).sub(logP).sub(log1mP);
        return result(y, LogDets.sumPerSample(perFeature));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray y, NDArray context) {
        NDArray p = ai.djl.nn.Activation.sigmoid(y);
        NDArray x = Tensors.div(p.sub(Tensors.scalar(y, alpha)), 1 - 2 * alpha);
        NDArray log1mP = Tensors.scalar(p, 1).sub(p).log();
        NDArray perFeature = p.log().add(log1mP).sub(Tensors.scalar(y, Math.log(1 - 2 * alpha)));
        return result(x, LogDets.sumPerSample(perFeature));
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeDouble(alpha);
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "LogitTransform: unsupported version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        double saved = is.readDouble();
        if (saved != alpha) {
            throw new MalformedModelException(
                    "LogitTransform: the checkpoint has alpha " + saved + ", this layer " + alpha);
        }
    }
}
