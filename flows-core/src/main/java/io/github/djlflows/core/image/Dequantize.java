package io.github.djlflows.core.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.InputOutsideDomainException;
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
 * <p>Why: for a continuous density p on [0,1)^D, E_u[log p((x + u) / 256)] - D ln 256 is a lower
 * bound on the log-probability of the discrete image x (Jensen; Theis et al.), so training on fresh
 * noise maximises a bound, and the mean of -log p over noisy held-out images is the upper bound on
 * bits/dim that papers report. The eval map evaluates p at one point of each bin, the centre: that
 * figure is no bound (it lies below the noisy one when p peaks inside the bins). With this layer
 * first in the flow, {@code NormalizingFlow.logProb} already includes the -D ln 256, so {@code
 * BitsPerDim} gives bits per dimension of the 8-bit data.
 *
 * <p>Expected range: pixel values on the 0-255 scale ({@link #LEVELS} levels), as the data's
 * integers or as continuous values such as this flow's own samples (any real number: a model's
 * samples can leave [0, 255], and {@link #quantize} rounds and clips them). A sample whose values
 * all lie in [0, 1] and are not all integers looks scaled to [0, 1] and is rejected with {@link
 * InputOutsideDomainException} (score {@code x * 255} instead): such an image has no pixel above 1
 * on the 0-255 scale, which is no image a model of 8-bit data is asked about.
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

    /** The number of pixel levels: inputs are on the 0-255 scale. */
    public static final int LEVELS = 256;

    /** Creates the layer. */
    public Dequantize() {
        super(VERSION);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        checkPixelScale(x);
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
        return x.round().clip(0, LEVELS - 1);
    }

    /** Throws when a sample looks scaled to [0, 1]: all values there, not all integers. */
    private static void checkPixelScale(NDArray x) {
        long batch = x.getShape().get(0);
        if (batch == 0) {
            return;
        }
        NDArray rows = x.reshape(batch, -1);
        NDArray low = rows.min(new int[] {1});
        NDArray high = rows.max(new int[] {1});
        NDArray fraction = rows.sub(rows.round()).abs().max(new int[] {1});
        NDArray scaled =
                low.gte(Tensors.scalar(low, 0))
                        .logicalAnd(high.lte(Tensors.scalar(high, 1)))
                        .logicalAnd(fraction.gt(Tensors.scalar(fraction, 0)));
        if (scaled.any().getBoolean()) {
            long i = scaled.toType(DataType.INT32, false).argMax().getLong();
            throw new InputOutsideDomainException(
                    "Dequantize expects pixel values on the 0-"
                            + (LEVELS - 1)
                            + " scale, got sample "
                            + i
                            + " with values in ["
                            + low.toType(DataType.FLOAT64, false).getDouble(i)
                            + ", "
                            + high.toType(DataType.FLOAT64, false).getDouble(i)
                            + "], not all integers: it looks scaled to [0, 1]; pass x * "
                            + (LEVELS - 1)
                            + " (the raw pixel values)");
        }
    }

    private static NDArray logDet(NDArray like, double sign) {
        double d = Tensors.featureSize(like.getShape());
        return LogDets.perSample(like, Tensors.scalar(like, sign * d * Math.log(LEVELS)));
    }
}
