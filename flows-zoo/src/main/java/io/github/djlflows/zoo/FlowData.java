package io.github.djlflows.zoo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.data.DigitsCsv;
import io.github.djlflows.core.data.FashionMnist;
import io.github.djlflows.core.data.ToyDensity;

/**
 * The training and held-out data of a {@link FlowConfig}, always the same for the same config
 * (generated with the config's seeds, or read from fixed splits).
 *
 * <pre>{@code
 * NDArray heldOut = FlowData.heldOut(config, manager);
 * }</pre>
 */
public final class FlowData {

    private FlowData() {}

    /**
     * sklearn's 8x8 digits: shuffled with {@code trainSeed}, the last {@code heldOutSize} rows held
     * out, each pixel dequantized to {@code (v + u) / 17} with u uniform from a seeded generator
     * (training noise seed {@code trainSeed}, held-out noise seed {@code heldOutSeed}).
     */
    private static NDArray digits(FlowConfig config, NDManager manager, boolean train)
            throws java.io.IOException {
        DigitsCsv digits = DigitsCsv.readDefault();
        float[] pixels = digits.pixels(manager).toFloatArray();
        int n = digits.size();
        int heldOut = Math.min(config.heldOutSize, n - 1);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Collections.shuffle(java.util.Arrays.asList(order), new java.util.Random(config.trainSeed));
        int from = train ? 0 : n - heldOut;
        int to = train ? n - heldOut : n;
        java.util.Random noise = new java.util.Random(train ? config.trainSeed : config.heldOutSeed);
        int d = DigitsCsv.PIXELS;
        float[] out = new float[(to - from) * d];
        for (int i = from; i < to; i++) {
            for (int j = 0; j < d; j++) {
                float v = pixels[order[i] * d + j];
                out[(i - from) * d + j] = (float) ((v + noise.nextDouble()) / (DigitsCsv.MAX_PIXEL + 1));
            }
        }
        return manager.create(out, new ai.djl.ndarray.types.Shape(to - from, d));
    }

    /**
     * The training set.
     *
     * @param config the config
     * @param manager the manager that owns the result
     * @return the training samples (n, event...)
     * @throws java.io.IOException if a dataset file is missing or corrupt
     */
    public static NDArray train(FlowConfig config, NDManager manager) throws java.io.IOException {
        return load(config, manager, true);
    }

    /**
     * The held-out set.
     *
     * @param config the config
     * @param manager the manager that owns the result
     * @return the held-out samples (n, event...)
     * @throws java.io.IOException if a dataset file is missing or corrupt
     */
    public static NDArray heldOut(FlowConfig config, NDManager manager) throws java.io.IOException {
        return load(config, manager, false);
    }

    /**
     * A short description of the held-out set, for metrics files.
     *
     * @param config the config
     * @return the description
     */
    public static String describeHeldOut(FlowConfig config) {
        if ("fashion-mnist".equals(config.dataset)) {
            return "the first " + config.heldOutSize + " Fashion-MNIST test images,"
                    + " dequantized at bin centres ((x + 0.5) / 256)";
        }
        if ("digits".equals(config.dataset)) {
            return "the last " + config.heldOutSize + " of sklearn's 1797 digits shuffled with seed "
                    + config.trainSeed + ", dequantized (x + u) / 17 with noise seed " + config.heldOutSeed;
        }
        return config.heldOutSize + " points of " + config.dataset + ", seed " + config.heldOutSeed;
    }

    private static NDArray load(FlowConfig config, NDManager manager, boolean train)
            throws java.io.IOException {
        if ("digits".equals(config.dataset)) {
            return digits(config, manager, train);
        }
        if ("fashion-mnist".equals(config.dataset)) {
            int limit = train ? config.trainSize : config.heldOutSize;
            return new FashionMnist().images(manager, train, limit);
        }
        ToyDensity toy = ToyDensity.fromName(config.dataset);
        return train
                ? toy.sample(manager, config.trainSize, config.trainSeed)
                : toy.sample(manager, config.heldOutSize, config.heldOutSeed);
    }
}
