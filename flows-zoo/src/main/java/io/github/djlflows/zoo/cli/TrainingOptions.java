package io.github.djlflows.zoo.cli;

import io.github.djlflows.core.train.LearningRateSchedule;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.FlowFactory;
import picocli.CommandLine.Option;

/** Every field of {@link FlowConfig} that a run may set, as {@code flows train} flags. */
final class TrainingOptions {

    /** Epochs of a CSV run when neither --epochs nor --steps is given. */
    static final int DEFAULT_CSV_EPOCHS = 300;

    @Option(
            names = "--family",
            description =
                    "realnvp (the default; maf for --dataset digits, glow for fashion-mnist), maf,"
                            + " nsf, nsf-ar, naf; glow, realnvp-image for images")
    String family;

    @Option(
            names = "--layers",
            description =
                    "flow layers (couplings, autoregressive layers, steps per level); default 6")
    Integer layers;

    @Option(
            names = "--hidden",
            split = ",",
            description = "hidden widths of each conditioner, e.g. 64,64 (default)")
    int[] hidden;

    @Option(names = "--bins", description = "spline bins (nsf); default 8")
    Integer bins;

    @Option(names = "--units", description = "sigmoid units per feature (naf); default 8")
    Integer units;

    @Option(
            names = "--bound",
            description = "spline bound B (nsf): identity outside [-B, B]; default 4")
    Double bound;

    @Option(
            names = "--batch-norm",
            negatable = true,
            description = "batch-norm flows between layers; default off")
    Boolean batchNorm;

    @Option(names = "--levels", description = "multi-scale levels (image flows); default 2")
    Integer levels;

    @Option(
            names = "--hidden-channels",
            description = "hidden channels of conv conditioners (image flows); default 64")
    Integer hiddenChannels;

    @Option(names = "--batch-size", description = "batch size; default 256")
    Integer batchSize;

    @Option(names = "--lr", description = "Adam learning rate; default 2e-3")
    Double learningRate;

    @Option(
            names = "--schedule",
            description =
                    "cosine (default: decays to 1%% over the run), warmup-cosine (--warmup-steps) or fixed")
    String schedule;

    @Option(
            names = "--warmup-steps",
            description = "linear warm-up steps of the warmup-cosine schedule; default 0")
    Integer warmupSteps;

    @Option(
            names = "--dequantization",
            description =
                    "digits and images: uniform (u ~ U[0, 1) afresh every batch; the default"
                            + " for images and configs) or variational (u ~ q(u | x), trained"
                            + " jointly; the held-out figure is then an upper bound on bits/dim;"
                            + " the default of --dataset digits)")
    String dequantization;

    @Option(
            names = "--init-from",
            description =
                    "built-in datasets: a model directory or zoo artifact (family/dataset) whose"
                            + " layers of the same position, class and shapes the new model starts"
                            + " from")
    String initFrom;

    @Option(
            names = "--weight-decay",
            description =
                    "built-in datasets: decoupled weight decay (AdamW) per step, rate * this; default 0"
                            + " (plain Adam)")
    Double weightDecay;

    @Option(
            names = "--ema-decay",
            description =
                    "built-in datasets: validate, keep and save an exponential moving average of the"
                            + " weights with this decay (e.g. 0.999); default 0 (none)")
    Double emaDecay;

    @Option(
            names = "--steps",
            description =
                    "training steps (built-in default 3000; for CSV, used when --epochs is not given)")
    Integer steps;

    @Option(
            names = "--epochs",
            description =
                    "CSV: most epochs (early stopping may end sooner); default "
                            + DEFAULT_CSV_EPOCHS)
    Integer epochs;

    @Option(
            names = "--patience",
            description = "CSV: epochs without a better validation NLL before stopping; default 20")
    Integer patience;

    @Option(
            names = "--val-fraction",
            description = "CSV: fraction of rows for validation; default 0.1")
    Double valFraction;

    @Option(
            names = "--test-fraction",
            description = "CSV: fraction of rows for the test summary; default 0.1")
    Double testFraction;

    @Option(
            names = "--standardize",
            negatable = true,
            description =
                    "CSV: standardise columns inside the model (default on; --no-standardize turns it off)")
    Boolean standardize;

    @Option(
            names = "--latent-tails",
            negatable = true,
            description =
                    "logarithmic tails beyond |z| = 6 at the flow's latent end, so inputs far from"
                            + " the data cost a few hundred nats, not 1e14 (default on for CSV and"
                            + " the 2-D datasets without --config, off for digits and images;"
                            + " --no-latent-tails turns it off)")
    Boolean latentTails;

    @Option(names = "--seed", description = "engine seed (initialisation, shuffling); default 42")
    Long seed;

    @Option(
            names = "--split-seed",
            description = "seed of the data: generated sets, or the CSV split; default 1")
    Long trainSeed;

    @Option(
            names = "--held-out-seed",
            description = "built-in generated datasets: seed of the held-out set; default 2")
    Long heldOutSeed;

    @Option(
            names = "--train-size",
            description = "built-in generated datasets: training rows; default 20000")
    Integer trainSize;

    @Option(
            names = "--held-out-size",
            description = "built-in datasets: held-out rows; default 10000")
    Integer heldOutSize;

    /**
     * Writes the given flags into a config and checks the result.
     *
     * @param config the config to change
     * @param csv whether the run trains on a CSV file
     * @param fromFile whether the config came from a file (whose latentTails is then kept unless a
     *     flag says otherwise)
     * @throws IllegalArgumentException naming the first value out of range
     */
    void apply(FlowConfig config, boolean csv, boolean fromFile) {
        if (family != null) config.family = family;
        if (layers != null) config.layers = layers;
        if (hidden != null) config.hidden = hidden;
        if (bins != null) config.bins = bins;
        if (units != null) config.units = units;
        if (bound != null) config.bound = bound;
        if (batchNorm != null) config.batchNorm = batchNorm;
        if (levels != null) config.levels = levels;
        if (hiddenChannels != null) config.hiddenChannels = hiddenChannels;
        if (batchSize != null) config.batchSize = batchSize;
        if (learningRate != null) config.learningRate = learningRate;
        if (schedule != null) config.schedule = schedule;
        if (warmupSteps != null) config.warmupSteps = warmupSteps;
        if (dequantization != null) config.dequantization = dequantization;
        if (initFrom != null) config.initFrom = initFrom;
        if (steps != null) config.steps = steps;
        if (epochs != null) {
            // 0 in a config means "use the steps"; on the command line it is a mistake
            positive("--epochs", epochs);
            config.epochs = epochs;
        }
        if (patience != null) config.patience = patience;
        if (valFraction != null) config.valFraction = valFraction;
        if (testFraction != null) config.testFraction = testFraction;
        if (seed != null) config.seed = seed;
        if (trainSeed != null) config.trainSeed = trainSeed;
        if (trainSize != null) config.trainSize = trainSize;
        if (heldOutSize != null) config.heldOutSize = heldOutSize;
        if (heldOutSeed != null) config.heldOutSeed = heldOutSeed;
        if (weightDecay != null) config.weightDecay = weightDecay;
        if (emaDecay != null) config.emaDecay = emaDecay;
        if (csv && (config.weightDecay != 0 || config.emaDecay != 0)) {
            throw new IllegalArgumentException(
                    "--weight-decay and --ema-decay apply to the built-in datasets, not CSV input");
        }
        if (csv) {
            config.standardize = standardize == null || standardize;
            if (config.epochs == 0 && steps == null) {
                config.epochs = DEFAULT_CSV_EPOCHS;
            }
        } else if (standardize != null && standardize) {
            throw new IllegalArgumentException("--standardize applies to CSV input (--input)");
        }
        boolean vectors = !FlowFactory.isImage(config) && !"digits".equals(config.dataset) || csv;
        if (latentTails != null) {
            config.latentTails = latentTails;
        } else if (csv || (vectors && !fromFile)) {
            config.latentTails = vectors;
        }
        check(config, csv);
    }

    private static void check(FlowConfig c, boolean csv) {
        if (csv && c.initFrom != null) {
            throw new IllegalArgumentException(
                    "--init-from (initFrom) applies to the built-in datasets, not CSV input");
        }
        if (c.variationalDequantization() && (csv || !FlowData.isDiscrete(c))) {
            throw new IllegalArgumentException(
                    "--dequantization variational applies to digits and images, not "
                            + (csv ? "CSV input" : c.dataset));
        }
        positive("--layers", c.layers);
        positive("--bins", c.bins);
        positive("--units", c.units);
        positive("--batch-size", c.batchSize);
        positive("--levels", c.levels);
        positive("--hidden-channels", c.hiddenChannels);
        if (csv) {
            positive("--patience", c.patience);
        } else if (c.patience < 0) {
            // built-in datasets: validations without improvement, 0 never stops early (FlowConfig)
            throw new IllegalArgumentException(
                    "--patience must be non-negative (0: never stop early), got " + c.patience);
        }
        if (c.steps <= 0 && c.epochs <= 0) {
            throw new IllegalArgumentException("--steps must be positive, got " + c.steps);
        }
        if (c.epochs < 0) {
            throw new IllegalArgumentException("--epochs must be positive, got " + c.epochs);
        }
        for (int h : c.hidden) {
            positive("--hidden", h);
        }
        if (!(c.learningRate > 0) || !Double.isFinite(c.learningRate)) {
            throw new IllegalArgumentException(
                    "--lr must be a positive number, got " + c.learningRate);
        }
        if (!(c.bound > 0) || !Double.isFinite(c.bound)) {
            throw new IllegalArgumentException("--bound must be a positive number, got " + c.bound);
        }
        if (!(c.weightDecay >= 0) || !Double.isFinite(c.weightDecay)) {
            throw new IllegalArgumentException(
                    "--weight-decay must be a non-negative number, got " + c.weightDecay);
        }
        if (!(c.emaDecay >= 0 && c.emaDecay < 1)) {
            throw new IllegalArgumentException("--ema-decay must lie in [0, 1), got " + c.emaDecay);
        }
        fraction("--val-fraction", c.valFraction);
        fraction("--test-fraction", c.testFraction);
        if (c.valFraction + c.testFraction >= 1) {
            throw new IllegalArgumentException(
                    "--val-fraction + --test-fraction must leave training rows, got "
                            + c.valFraction
                            + " + "
                            + c.testFraction);
        }
        try {
            LearningRateSchedule.Kind.fromConfigName(c.schedule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule: " + e.getMessage(), e);
        }
        if (!FlowFactory.FAMILIES.contains(c.family)) {
            throw new IllegalArgumentException(
                    "--family '"
                            + c.family
                            + "' is unknown, expected one of "
                            + FlowFactory.FAMILIES);
        }
    }

    private static void positive(String flag, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be positive, got " + value);
        }
    }

    private static void fraction(String flag, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(flag + " must lie in (0, 1), got " + value);
        }
    }
}
