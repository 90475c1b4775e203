package io.github.djlflows.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.evaluator.Evaluator;
import io.github.djlflows.core.internal.Tensors;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bits per dimension, the standard density metric for images.
 *
 * <pre>
 * bits/dim = -log p(x) / (D · ln 2)          (log p in nats, D = C·H·W)
 * </pre>
 *
 * <p>How the discrete data enter: when the flow begins with {@link
 * io.github.djlflows.core.image.Dequantize}, the model's {@code logProb} of integer pixels already
 * contains that layer's log-det -D·ln 256, so this value is the bits/dim of the 8-bit data (the
 * figure papers report). When the data are fed already scaled to [0, 1) (no Dequantize layer), add
 * 8 = log2(256) to get the same figure: {@code bitsPerDim(logProb, D) + 8}, see {@link
 * #bitsPerDimOfScaled}.
 *
 * <p>As a DJL {@link Evaluator} it reads the log-probability (the third output of {@code
 * NormalizingFlow.forward}) from the predictions and averages over the samples seen.
 *
 * <p>Reference: Theis, van den Oord and Bethge, "A note on the evaluation of generative models",
 * ICLR 2016.
 *
 * <pre>{@code
 * double bpd = BitsPerDim.bitsPerDim(flow.logProb(pixels).mean().getFloat(), 784);
 * }</pre>
 */
public class BitsPerDim extends Evaluator {

    private final long dims;
    private final ConcurrentHashMap<String, Double> sums = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();

    /**
     * Creates the evaluator.
     *
     * @param dims D, the number of dimensions of one sample
     */
    public BitsPerDim(long dims) {
        super("BitsPerDim");
        if (dims <= 0) {
            throw new IllegalArgumentException("dims must be positive, got " + dims);
        }
        this.dims = dims;
    }

    /**
     * -logProb / (D ln 2).
     *
     * @param logProbNats log p(x) in nats
     * @param dims D
     * @return bits per dimension
     */
    public static double bitsPerDim(double logProbNats, long dims) {
        return -logProbNats / (dims * Math.log(2));
    }

    /**
     * Bits/dim of 8-bit data from the log-density of the data scaled to [0, 1) by /256 without a
     * {@link io.github.djlflows.core.image.Dequantize} layer: {@code bitsPerDim + 8}.
     *
     * @param logProbNats log p of the scaled data, in nats
     * @param dims D
     * @return bits per dimension of the discrete data
     */
    public static double bitsPerDimOfScaled(double logProbNats, long dims) {
        return bitsPerDim(logProbNats, dims) + 8;
    }

    /**
     * Per-sample bits/dim.
     *
     * @param logProb log p(x), (batch)
     * @param dims D
     * @return (batch) bits per dimension
     */
    public static NDArray bitsPerDim(NDArray logProb, long dims) {
        return Tensors.mul(logProb, -1.0 / (dims * Math.log(2)));
    }

    private static NDArray logProbOf(NDList predictions) {
        return predictions.size() > 2
                ? predictions.get(2)
                : predictions.get(predictions.size() - 1);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return bitsPerDim(logProbOf(predictions), dims);
    }

    /** {@inheritDoc} */
    @Override
    public void addAccumulator(String key) {
        sums.put(key, 0.0);
        counts.put(key, 0L);
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulator(String key, NDList labels, NDList predictions) {
        updateAccumulators(new String[] {key}, labels, predictions);
    }

    /** {@inheritDoc} */
    @Override
    public void updateAccumulators(String[] keys, NDList labels, NDList predictions) {
        NDArray bpd = evaluate(labels, predictions);
        double sum = bpd.sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        long n = bpd.size();
        for (String key : keys) {
            sums.merge(key, sum, Double::sum);
            counts.merge(key, n, Long::sum);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void resetAccumulator(String key) {
        addAccumulator(key);
    }

    /** {@inheritDoc} */
    @Override
    public float getAccumulator(String key) {
        Long n = counts.get(key);
        if (n == null) {
            throw new IllegalArgumentException("No accumulator found at that key");
        }
        return n == 0 ? Float.NaN : (float) (sums.get(key) / n);
    }
}
