package io.github.djlflows.core.image;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.InputOutsideDomainException;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Real NVP's logit pre-processing: maps [0, 1] to the real line, with linear tails outside.
 *
 * <pre>
 * on [0, 1]:  p = alpha + (1 - 2 alpha) · x,   y = log p - log(1 - p)
 *             logDet = Σ [ log(1 - 2 alpha) - log p - log(1 - p) ]
 * outside:    y = logit at the nearer end + k · (x - end),   k = (1 - 2 alpha) / (alpha (1 - alpha))
 *             logDet = log k per such feature
 * inverse:    x = (sigmoid(y) - alpha) / (1 - 2 alpha) for |y| &lt;= log((1 - alpha) / alpha),
 *             linear beyond, with log-det log p + log(1 - p) = -softplus(y) - softplus(-y)
 * </pre>
 *
 * <p>alpha in [0, 0.5) keeps p away from 0 and 1 (Real NVP uses 0.05). With alpha &gt; 0 the map is
 * a C1 bijection of the real line: data in [0, 1] get the plain logit, and points the inverse
 * produces far out (a sample with y = 30) map back to themselves in float32, so a model's density
 * of its own samples is defined and finite (a pure sigmoid saturates: its inverse rounds to the
 * ends and its log-det is minus infinity from y = 17 in float32). With alpha = 0 there are no
 * tails: inputs outside the open (0, 1) throw {@link InputOutsideDomainException}. NaN inputs
 * throw. Cost: O(D) elementwise in both directions, analytic inverse.
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

    /**
     * Returns the slope dy/dx of the linear tails, {@code (1 - 2 alpha) / (alpha (1 - alpha))},
     * which is the logit's slope at 0 and 1; infinite when alpha is 0 (no tails).
     *
     * @return the tails' slope
     */
    public double getTailSlope() {
        return (1 - 2 * alpha) / (alpha * (1 - alpha));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        double min = x.min().toType(DataType.FLOAT64, false).getDouble();
        double max = x.max().toType(DataType.FLOAT64, false).getDouble();
        boolean outside = alpha > 0 ? Double.isNaN(min + max) : !(min > 0 && max < 1);
        if (outside) {
            throw new InputOutsideDomainException(
                    "LogitTransform(alpha "
                            + alpha
                            + ") expects "
                            + (alpha > 0 ? "numbers (data scaled to [0, 1])" : "inputs in (0, 1)")
                            + ", got values in ["
                            + min
                            + ", "
                            + max
                            + "]; scale the inputs to [0, 1] first (for 8-bit pixels 0-255, put a Dequantize layer before this one)");
        }
        if (alpha == 0) {
            return logit(x, x);
        }
        NDArray inside = x.maximum(Tensors.scalar(x, 0)).minimum(Tensors.scalar(x, 1));
        NDList core = logit(x, inside);
        NDArray y = core.get(0).add(Tensors.mul(x.sub(inside), getTailSlope()));
        return result(y, core.get(1));
    }

    /** The logit and its log-det at points of [0, 1] (of (0, 1) when alpha is 0). */
    private NDList logit(NDArray like, NDArray inside) {
        // p and 1 - p from x directly: no cancellation in 1 - p near 1
        NDArray scaled = Tensors.mul(inside, 1 - 2 * alpha);
        NDArray logP = Tensors.add(scaled, alpha).log();
        NDArray logQ = Tensors.scalar(like, 1 - alpha).sub(scaled).log();
        NDArray perFeature = Tensors.scalar(like, Math.log(1 - 2 * alpha)).sub(logP).sub(logQ);
        return result(logP.sub(logQ), LogDets.sumPerSample(perFeature));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray y, NDArray context) {
        NDArray core = y;
        if (alpha > 0) {
            double edge = Math.log((1 - alpha) / alpha);
            core = y.maximum(Tensors.scalar(y, -edge)).minimum(Tensors.scalar(y, edge));
        }
        NDArray x = Tensors.div(Tensors.add(Activation.sigmoid(core), -alpha), 1 - 2 * alpha);
        if (alpha > 0) {
            x = x.add(Tensors.div(y.sub(core), getTailSlope()));
        }
        // log p + log(1 - p) = -softplus(-y) - softplus(y): finite for every finite y
        NDArray logPq = Activation.softPlus(core).add(Activation.softPlus(core.neg())).neg();
        NDArray perFeature = logPq.sub(Tensors.scalar(y, Math.log(1 - 2 * alpha)));
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
