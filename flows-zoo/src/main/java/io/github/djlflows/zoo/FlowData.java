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

    /** The number of grey levels of sklearn's digits (0..16). */
    public static final int DIGIT_LEVELS = DigitsCsv.MAX_PIXEL + 1;

    private FlowData() {}

    /**
     * Prepares one training batch: digits' integer levels v become {@code (v + u) / 17} with u
     * uniform on [0, 1) drawn now from the engine's generator (fresh noise every batch, repeatable
     * under {@code Engine.setRandomSeed}); other datasets pass unchanged (generated points are
     * continuous; images are dequantized by the model's first layer in training mode).
     *
     * @param config the config
     * @param batch a batch of {@link #train} rows; the result is attached to its manager
     * @return the batch the model trains on
     */
    public static NDArray trainingBatch(FlowConfig config, NDArray batch) {
        if (!"digits".equals(config.dataset) || config.variationalDequantization()) {
            return batch;
        }
        NDArray u = batch.getManager().randomUniform(0, 1, batch.getShape(), batch.getDataType());
        return batch.add(u).divi(u.getManager().create((float) DIGIT_LEVELS));
    }

    /**
     * Whether a config's data is discrete and reported in bits per dimension of the discrete levels
     * (digits and 8-bit images).
     *
     * @param config the config
     * @return true for digits and image datasets
     */
    public static boolean isDiscrete(FlowConfig config) {
        return "digits".equals(config.dataset) || "fashion-mnist".equals(config.dataset);
    }

    /**
     * Bits per dimension of the discrete data from a held-out NLL in nats of the model's input:
     * digits are modelled as x = (v + u) / 17 on [0, 1)^D, so -log P(v) is at most NLL + D ln 17
     * and bits/dim = (NLL / D + ln 17) / ln 2; image models start with a dequantizing layer whose
     * log-det already holds the -D ln 256, so bits/dim = NLL / (D ln 2); so do digits with
     * variational dequantization (their model starts with a {@code VariationalDequantize} of 17
     * levels), whose figure is an estimate of an upper bound.
     *
     * @param config the config (dataset and event shape)
     * @param nllNats the mean held-out NLL in nats
     * @return bits per dimension
     */
    public static double bitsPerDim(FlowConfig config, double nllNats) {
        double d = config.shape().size();
        boolean dequantizedByData =
                "digits".equals(config.dataset) && !config.variationalDequantization();
        double levels = dequantizedByData ? Math.log(DIGIT_LEVELS) : 0;
        return (nllNats / d + levels) / Math.log(2);
    }

    /**
     * sklearn's 8x8 digits: shuffled with {@code trainSeed}, the last {@code heldOutSize} rows held
     * out. The training rows keep their integer levels v in 0..16 ({@link #trainingBatch}
     * dequantizes them afresh every batch); each held-out pixel is dequantized once to {@code (v +
     * u) / 17} with u uniform from a generator seeded with {@code heldOutSeed}. With variational
     * dequantization both splits keep their levels (the model's first layer dequantizes).
     */
    /** The three splits. */
    private enum Part {
        TRAIN,
        VALIDATION,
        HELD_OUT
    }

    private static NDArray digits(FlowConfig config, NDManager manager, Part part)
            throws java.io.IOException {
        DigitsCsv digits = DigitsCsv.readDefault();
        float[] pixels = digits.pixels(manager).toFloatArray();
        int n = digits.size();
        int heldOut = Math.min(config.heldOutSize, n - 1);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Collections.shuffle(
                java.util.Arrays.asList(order), new java.util.Random(config.trainSeed));
        int validation = Math.max(0, Math.min(config.validationSize, n - heldOut - 1));
        int from =
                part == Part.HELD_OUT
                        ? n - heldOut
                        : part == Part.VALIDATION ? n - heldOut - validation : 0;
        int to = part == Part.HELD_OUT ? n : n - heldOut - (part == Part.TRAIN ? validation : 0);
        boolean train = part == Part.TRAIN;
        java.util.Random noise =
                new java.util.Random(
                        part == Part.VALIDATION ? config.validationSeed : config.heldOutSeed);
        boolean variational = config.variationalDequantization();
        int d = DigitsCsv.PIXELS;
        float[] out = new float[(to - from) * d];
        for (int i = from; i < to; i++) {
            for (int j = 0; j < d; j++) {
                float v = pixels[order[i] * d + j];
                out[(i - from) * d + j] =
                        train || variational
                                ? v
                                : (float) ((v + noise.nextDouble()) / DIGIT_LEVELS);
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
        return load(config, manager, Part.TRAIN);
    }

    /**
     * The validation set, or null when {@code validationSize} is 0: generated with {@code
     * validationSeed} (toy densities), or the last {@code validationSize} rows of the training
     * split, which {@link #train} then leaves out (digits: dequantized once with noise seed {@code
     * validationSeed}; Fashion-MNIST: the last training images).
     *
     * @param config the config
     * @param manager the manager that owns the result
     * @return the validation samples (n, event...), or null
     * @throws java.io.IOException if a dataset file is missing or corrupt
     */
    public static NDArray validation(FlowConfig config, NDManager manager)
            throws java.io.IOException {
        return config.validationSize > 0 ? load(config, manager, Part.VALIDATION) : null;
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
        return load(config, manager, Part.HELD_OUT);
    }

    /**
     * A short description of the held-out set, for metrics files.
     *
     * @param config the config
     * @return the description
     */
    public static String describeHeldOut(FlowConfig config) {
        if ("fashion-mnist".equals(config.dataset) && config.variationalDequantization()) {
            return "the first "
                    + config.heldOutSize
                    + " Fashion-MNIST test images, as levels 0..255 (the model's"
                    + " VariationalDequantize draws u ~ q(u | x))";
        }
        if ("fashion-mnist".equals(config.dataset)) {
            return "the first "
                    + config.heldOutSize
                    + " Fashion-MNIST test images,"
                    + " dequantized at bin centres ((x + 0.5) / 256)";
        }
        if ("digits".equals(config.dataset) && config.variationalDequantization()) {
            return "the last "
                    + config.heldOutSize
                    + " of sklearn's 1797 digits shuffled with seed "
                    + config.trainSeed
                    + ", as levels 0..16 (the model's VariationalDequantize draws u ~ q(u | v))";
        }
        if ("digits".equals(config.dataset)) {
            return "the last "
                    + config.heldOutSize
                    + " of sklearn's 1797 digits shuffled with seed "
                    + config.trainSeed
                    + ", dequantized once (v + u) / 17 with noise seed "
                    + config.heldOutSeed
                    + "; bits/dim of the 17-level data = (NLL / 64 + ln 17) / ln 2";
        }
        return config.heldOutSize + " points of " + config.dataset + ", seed " + config.heldOutSeed;
    }

    private static NDArray load(FlowConfig config, NDManager manager, Part part)
            throws java.io.IOException {
        if ("digits".equals(config.dataset)) {
            return digits(config, manager, part);
        }
        if ("fashion-mnist".equals(config.dataset)) {
            if (part == Part.HELD_OUT) {
                return new FashionMnist().images(manager, false, config.heldOutSize);
            }
            // validation: the last validationSize of the 60000 training images, never trained on
            NDArray all = new FashionMnist().images(manager, true, -1);
            long n = all.getShape().get(0);
            long validation = Math.max(0, Math.min(config.validationSize, n - 1));
            long trainEnd =
                    config.trainSize > 0
                            ? Math.min(config.trainSize, n - validation)
                            : n - validation;
            // a copy, not a view: `all` wraps a Java direct buffer (DJL's CPU arrays do), which a
            // view does not keep alive once `all` is closed; a view then reads freed memory
            NDArray slice =
                    (part == Part.TRAIN
                                    ? all.get("0:" + trainEnd)
                                    : all.get((n - validation) + ":" + n))
                            .duplicate();
            slice.attach(manager);
            all.close();
            return slice;
        }
        ToyDensity toy = ToyDensity.fromName(config.dataset);
        switch (part) {
            case TRAIN:
                return toy.sample(manager, config.trainSize, config.trainSeed);
            case VALIDATION:
                return toy.sample(manager, config.validationSize, config.validationSeed);
            default:
                return toy.sample(manager, config.heldOutSize, config.heldOutSeed);
        }
    }
}
