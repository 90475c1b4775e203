package io.github.djlflows.core.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;

/**
 * Uniform dequantisation of 8-bit data: integer pixels x in {0, ..., 255} become continuous values
 * in [0, 1).
 *
 * <pre>
 * training:  z = (x + u) / 256,   u ~ U[0, 1) drawn per pixel
 * eval:      z = (x + 0.5) / 256  (deterministic: the centre of the pixel's bin)
 * logDet     = -D · ln 256        (D = C·H·W)
 * inverse:   x = 256 · z - 0.5    (the exact inverse of the eval map; {@link #quantize} rounds
 *                                  and clips to pixel values)
 * </pre>
 *
 * <p>Why: a continuous density p on [0,1)^D, evaluated at the dequantised point, gives log p(z) - D
 * ln 256 as a lower bound (exact for an eval map at bin centres when p is constant within bins) on
 * the log-probability of the discrete image; with this layer first in the flow, {@code
 * NormalizingFlow.logProb} already includes the -D ln 256, so {@code
 * BitsPerDim} gives bits per dimension of the 8-bit data.
 *
 * <p>Cost: O(D) in both directions; no parameters. Batch-independent in eval.
 *
 * <p>Reference: Theis, van den Oord and Bethge, "A note on the evaluation of generative models",
 * ICLR 2016; Dinh et al., "Real NVP" (2017).
 *
 * <pre>{@code
 * FlowBlock flow = FlowSequence.of(new Dequantize(), new LogitTransform(0.05), glow);
 * }</pre>
 */
public class Dequantize extends FlowBlock {

    private static final byte VERSION = 1;
    private static final double LEVELS = 256;

    /** Creates the layer. */
    public Dequantize() {
        super(VERSION);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        NDArray noise =
                training
                        ? x.getManager().randomUniform(0, 1, x.getShape(), x.getDataType())
                        : Tensors.scalar(x, 0.5);
        NDArray z = Tensors.div(x.add(noise), LEVELS);
        return result(z, logDet(x, -1));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        NDArray x = Tensors.mul(z, LEVELS).sub(Tensors.scalar(z, 0.5));
        return result(x, logDet(z, 1));
    }

    /**
     * Rounds continuous pixel values to the nearest integer in [0, 255].
     *
     * @param x values on the pixel scale
     * @return integers 0..255, same type and shape
     */
    public static NDArray quantize(NDArray x) {
        return x.round().clip(0, 255);
    }

    private static NDArray logDet(NDArray like, double sign) {
        double d = Tensors.featureSize(like.getShape());
        return LogDets.perSample(like, Tensors.scalar(like, sign * d * Math.log(LEVELS)));
    }
}
