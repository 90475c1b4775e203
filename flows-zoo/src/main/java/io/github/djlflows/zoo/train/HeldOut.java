package io.github.djlflows.zoo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.NormalizingFlow;
import java.util.function.Function;

/**
 * Held-out metrics computed in chunks, so large evaluation sets need bounded memory.
 *
 * <pre>{@code
 * double nats = HeldOut.nll(flow, heldOut);
 * }</pre>
 */
public final class HeldOut {

    private static final int CHUNK = 2000;

    private HeldOut() {}

    /**
     * The mean negative log-likelihood in nats.
     *
     * @param flow the model
     * @param data held-out samples (n, ...)
     * @return -mean log p(x)
     */
    public static double nll(NormalizingFlow flow, NDArray data) {
        return io.github.djlflows.core.train.BestValidationListener.meanNll(flow, data, CHUNK);
    }

    /**
     * The log-density of each sample, in order, computed in chunks.
     *
     * @param flow the model
     * @param data samples (n, ...)
     * @return log p(x), n values
     */
    public static float[] logDensities(NormalizingFlow flow, NDArray data) {
        return perSample(data, flow::logProb);
    }

    /**
     * One value per sample from a function applied chunk by chunk, so large sets need bounded
     * memory: each chunk and what the function makes of it are closed before the next.
     *
     * @param data samples (n, ...)
     * @param perChunk maps a chunk (m, ...) to m values; the chunk's manager holds its arrays
     * @return n values, in order
     */
    public static float[] perSample(NDArray data, Function<NDArray, NDArray> perChunk) {
        long n = data.getShape().get(0);
        float[] out = new float[Math.toIntExact(n)];
        for (long start = 0; start < n; start += CHUNK) {
            long end = Math.min(n, start + CHUNK);
            try (NDManager chunk = data.getManager().newSubManager()) {
                NDArray part = data.get(start + ":" + end);
                part.attach(chunk);
                float[] values = perChunk.apply(part).toFloatArray();
                if (values.length != end - start) {
                    throw new IllegalStateException(
                            "expected "
                                    + (end - start)
                                    + " values per chunk, got "
                                    + values.length);
                }
                System.arraycopy(values, 0, out, (int) start, values.length);
            }
        }
        return out;
    }

    /**
     * The uniform-dequantization bound of an image model whose first layer is {@code Dequantize}:
     * -mean log p((x + u) / 256) (the layer's -D ln 256 included) with u ~ U[0, 1)^D drawn once per
     * image from the engine seeded with {@code seed}. The layer maps x to (x + 0.5) / 256 at
     * evaluation, so it is given x + u - 0.5.
     *
     * @param flow the model
     * @param images held-out images (n, C, H, W) on the 0-255 scale
     * @param seed the engine seed of the draws
     * @return the bound in nats
     */
    public static double uniformBound(NormalizingFlow flow, NDArray images, long seed) {
        double sum = 0;
        for (float v : uniformLogDensities(flow, images, seed)) {
            sum += v;
        }
        return -sum / images.getShape().get(0);
    }

    /**
     * Each image's log p((x + u) / 256) of {@link #uniformBound} (the layer's -D ln 256 included),
     * u ~ U[0, 1)^D drawn once per image from the engine seeded with {@code seed}.
     *
     * @param flow the model, whose first layer is {@code Dequantize}
     * @param images held-out images (n, C, H, W) on the 0-255 scale
     * @param seed the engine seed of the draws
     * @return n log-densities, in order
     */
    public static float[] uniformLogDensities(NormalizingFlow flow, NDArray images, long seed) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager draws = images.getManager().newSubManager()) {
            NDArray u = draws.randomUniform(0, 1, images.getShape(), images.getDataType());
            NDArray shifted = images.add(u).sub(0.5f);
            shifted.attach(draws);
            return logDensities(flow, shifted);
        }
    }
}
