package io.github.djlflows.zoo;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.JsonUtils;
import io.github.djlflows.core.train.LearningRateSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture and training recipe of a zoo artifact, stored as {@code config.json} beside its
 * parameters so {@link FlowFactory} can rebuild the block before the parameters load, and {@code
 * flows reproduce} can retrain it.
 *
 * <pre>{@code
 * FlowConfig config = FlowConfig.read(Path.of("model/config.json"));
 * NormalizingFlow flow = FlowFactory.build(config);
 * }</pre>
 */
public final class FlowConfig {

    /** The config format this code writes and reads. */
    public static final int VERSION = 1;

    /** The config format version. */
    public int version = VERSION;

    /** Architecture family: realnvp, maf, nsf, glow, ... (see {@link FlowFactory}). */
    public String family = "realnvp";

    /** Dataset name: two-moons (and the other toy densities), digits, fashion-mnist. */
    public String dataset = "two-moons";

    /** Shape of one sample, without the batch axis. */
    public long[] eventShape = {2};

    /** Number of flow layers (couplings, autoregressive layers or steps per level). */
    public int layers = 6;

    /** Hidden widths of each conditioner. */
    public int[] hidden = {64, 64};

    /** Spline bins (nsf). */
    public int bins = 8;

    /** Sigmoid units per feature of each deep sigmoidal map (naf). */
    public int units = 8;

    /** Spline bound B (nsf). */
    public double bound = 4;

    /** Whether batch-norm flows sit between layers. */
    public boolean batchNorm;

    /** Multi-scale levels (image flows). */
    public int levels = 2;

    /** Hidden channels of conv conditioners (image flows). */
    public int hiddenChannels = 64;

    /**
     * Whether a Glow learns the prior of each factored half from the half it keeps (Glow's split
     * with a learned prior, {@code Glow.Builder.optLearnedPrior}); off by default, glow only.
     */
    public boolean learnedPrior;

    /**
     * Dequantization of discrete data (digits, images): {@code uniform} (u ~ U[0, 1) afresh every
     * batch) or {@code variational} (u ~ q(u | x), a learned conditional flow trained jointly; the
     * held-out figure is then an estimate of an upper bound on bits/dim).
     */
    public String dequantization = "uniform";

    /**
     * Whether this config uses variational dequantization.
     *
     * @return true for {@code variational}
     * @throws IllegalArgumentException for a name other than uniform or variational
     */
    public boolean variationalDequantization() {
        if ("variational".equals(dequantization)) {
            return true;
        }
        if (dequantization == null || "uniform".equals(dequantization)) {
            return false;
        }
        throw new IllegalArgumentException(
                "unknown dequantization '" + dequantization + "', expected uniform or variational");
    }

    /**
     * Whether a {@code LogitTransform} ({@link #logitAlpha}) sits at the data end of the flow, as
     * the image families have (digits only: their values lie in [0, 1)).
     */
    public boolean logit;

    /**
     * The margin alpha of that logit (p = alpha + (1 - 2 alpha) x; Real NVP's 0.05 for CIFAR-10,
     * MAF's 1e-6 for MNIST), in (0, 0.5).
     */
    public double logitAlpha = FlowFactory.LOGIT_ALPHA;

    /** Seed of the engine (initialisation, shuffling). */
    public long seed = 42;

    /** Training steps (batches). */
    public int steps = 3000;

    /** Batch size. */
    public int batchSize = 256;

    /** Adam learning rate. */
    public double learningRate = 2e-3;

    /**
     * Learning-rate schedule: {@code cosine} (decays to 1% over the steps), {@code warmup-cosine}
     * (linear warm-up over {@link #warmupSteps}, then the cosine) or {@code fixed}.
     */
    public String schedule = "cosine";

    /** Warm-up steps of the {@code warmup-cosine} schedule. */
    public int warmupSteps;

    /**
     * Decoupled weight decay λ: 0 (the default) trains with DJL's Adam; above 0 with DJL's AdamW,
     * which shrinks every weight by the factor (1 - rate * λ) before each Adam step.
     */
    public double weightDecay;

    /**
     * Decay β of an exponential moving average (Polyak) of the weights, 0 (the default) for none;
     * with one (0.999 averages over about 1000 steps) the average is what is validated, kept,
     * scored on the held-out set and saved, while training continues on the raw weights.
     */
    public double emaDecay;

    /** Training-set size (generated datasets) or 0 for the whole split. */
    public int trainSize = 20_000;

    /** Seed of the training set (generated datasets) or of the split. */
    public long trainSeed = 1;

    /**
     * Validation-set size, 0 for none: generated with {@link #validationSeed} (toy densities) or
     * the last rows of the training split, which training then leaves out (digits, images).
     */
    public int validationSize = 1000;

    /** Seed of the validation set (generated datasets) or of its dequantization noise (digits). */
    public long validationSeed = 3;

    /** Steps between validations; the best validated weights are the ones kept. */
    public int validateEvery = 250;

    /**
     * Training stops as diverged when the validation NLL exceeds its best by more than this many
     * nats per dimension (or is not finite).
     */
    public double divergenceNatsPerDim = 1.0;

    /** Held-out-set size. */
    public int heldOutSize = 10_000;

    /** Seed of the held-out set (generated datasets). */
    public long heldOutSeed = 2;

    /**
     * Whether a fixed {@code Standardize} layer (statistics of the training split, saved with the
     * parameters) sits at the data end of the flow. The CLI turns it on for CSV input.
     */
    public boolean standardize;

    /**
     * Whether a fixed {@code RangeTails} layer sits at the latent end of the flow: the identity on
     * [-{@link FlowFactory#LATENT_TAIL_BOUND}, {@link FlowFactory#LATENT_TAIL_BOUND}] in every
     * latent coordinate, logarithmic tails beyond, so a point far from the data costs a few hundred
     * nats instead of 1e14. The CLI turns it on for vector data; configs without the key have none.
     */
    public boolean latentTails;

    /**
     * Whether the latent tails were added after training (needs {@link #latentTails}): the trainer
     * trains the flow without them and adds them before the held-out evaluation.
     */
    public boolean latentTailsAfterTraining;

    /**
     * A trained model to start from ({@code flows train} on a built-in dataset): a model directory
     * or a zoo artifact ({@code family/dataset}). Each top-level layer of the new flow with the
     * same position, class and parameter shapes as one of that model takes its parameters (and
     * saved state) before the first step; the others start from the seed. Null: all start from the
     * seed. E.g. a model with variational dequantization warm-started from a uniformly dequantized
     * one.
     */
    public String initFrom;

    /** The CSV file trained on ({@code flows train --input}), or null for a built-in dataset. */
    public String input;

    /** The names of the columns trained on, in order (CSV input), or null. */
    public String[] columns;

    /** Training epochs for CSV input (0: train for {@link #steps} steps instead). */
    public int epochs;

    /** Fraction of CSV rows held out for validation (early stopping), seeded by trainSeed. */
    public double valFraction = 0.1;

    /** Fraction of CSV rows held out for the final test summary, seeded by trainSeed. */
    public double testFraction = 0.1;

    /**
     * Validation evaluations without improvement on the best before training stops: epochs for CSV
     * input, validations every {@link #validateEvery} steps for the built-in datasets (where 0
     * never stops early).
     */
    public int patience = 20;

    /**
     * The defaults for a built-in dataset, as {@code flows train --dataset NAME} without a config
     * starts: digits are 64-pixel vectors with the zoo's splits (297 held out, 150 validated) and
     * the recipe of the zoo's {@code maf/digits} (5 MADE layers of 64x64 behind the logit of margin
     * 1e-6, variational dequantization, so the model takes the levels 0..16; AdamW 0.3, weight
     * average 0.998, cosine from 1e-3 over 6000 steps of batch 100: the plain defaults overfit the
     * 1350 training digits within 500 steps), both with latent tails; Fashion-MNIST images are (1,
     * 28, 28), validated on the last 2000 training images and trained with the zoo's Glow recipe (4
     * steps per level, logit margin 1e-6, batch 64, warm-up over 500 steps and cosine from 1e-3,
     * latent tails) for the default 3000 steps; the 2-D densities keep the plain defaults.
     *
     * @param dataset the dataset name
     * @return a new config
     */
    public static FlowConfig forDataset(String dataset) {
        FlowConfig config = new FlowConfig();
        config.dataset = dataset;
        if ("digits".equals(dataset)) {
            config.eventShape = new long[] {64};
            config.trainSize = 0;
            config.heldOutSize = 297;
            config.validationSize = 150;
            config.family = "maf";
            config.layers = 5;
            config.logit = true;
            config.logitAlpha = 1e-6;
            config.dequantization = "variational";
            config.batchSize = 100;
            config.learningRate = 1e-3;
            config.steps = 6000;
            config.weightDecay = 0.3;
            config.emaDecay = 0.998;
            config.latentTails = true;
        } else if ("fashion-mnist".equals(dataset)) {
            config.family = "glow";
            config.eventShape = new long[] {1, 28, 28};
            config.trainSize = 0;
            config.validationSize = 2000;
            config.layers = 4;
            config.batchSize = 64;
            config.learningRate = 1e-3;
            config.schedule = "warmup-cosine";
            config.warmupSteps = 500;
            config.logitAlpha = 1e-6;
            config.latentTails = true;
        }
        return config;
    }

    /**
     * The event shape as a DJL shape.
     *
     * @return the shape of one sample
     */
    public Shape shape() {
        return new Shape(eventShape);
    }

    /**
     * The learning-rate schedule this config names, as the trainer applies it.
     *
     * @param startStep the steps already done (a resumed run continues the schedule there)
     * @return the schedule; {@code toTracker()} gives the optimizer's tracker
     * @throws IllegalArgumentException for an unknown schedule name or out-of-range values
     */
    public LearningRateSchedule learningRateSchedule(int startStep) {
        LearningRateSchedule.Kind kind = LearningRateSchedule.Kind.fromConfigName(schedule);
        return LearningRateSchedule.builder()
                .setBaseRate((float) learningRate)
                .setTotalSteps(steps)
                .optKind(kind)
                .optWarmupSteps(warmupSteps)
                .optStartStep(startStep)
                .build();
    }

    /**
     * Reads a config file.
     *
     * @param file the JSON file
     * @return the config
     * @throws IOException if the file cannot be read or is not a valid config, naming the file
     */
    public static FlowConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("config file not found: " + file.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a config from a stream.
     *
     * @param in the JSON stream
     * @param source a name for error messages
     * @return the config
     * @throws IOException if it is not a valid config
     */
    public static FlowConfig read(InputStream in, String source) throws IOException {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            com.google.gson.JsonElement json = com.google.gson.JsonParser.parseReader(reader);
            if (json == null || !json.isJsonObject()) {
                throw new IOException("config " + source + " is not a JSON object");
            }
            java.util.List<String> known = fieldNames();
            for (String key : json.getAsJsonObject().keySet()) {
                if (!known.contains(key)) {
                    throw new IOException(
                            "config "
                                    + source
                                    + " has an unknown key '"
                                    + key
                                    + "', known: "
                                    + known);
                }
            }
            ConfigNumbers.check(json.getAsJsonObject(), FlowConfig.class, source);
            FlowConfig config = JsonUtils.GSON.fromJson(json, FlowConfig.class);
            if (config.version < 0 || config.version > VERSION) {
                throw new IOException(
                        "config "
                                + source
                                + " has format version "
                                + config.version
                                + ", this DJL Flows reads versions up to "
                                + VERSION);
            }
            if (config.family == null || !FlowFactory.FAMILIES.contains(config.family)) {
                throw new IOException(
                        "config "
                                + source
                                + " names an unknown flow family '"
                                + config.family
                                + "', expected one of "
                                + FlowFactory.FAMILIES);
            }
            return config;
        } catch (com.google.gson.JsonParseException e) {
            throw new IOException("corrupt config " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the training recipe before any work: positive steps, batch size, finite learning rate
     * and held-out size, a training set that is not empty (0 means the whole split only for the
     * image datasets), a known schedule with valid warm-up, a known dequantization, logit only for
     * digits, a weight decay of at least 0, an average decay in [0, 1) and valid validation
     * settings.
     *
     * @throws IllegalArgumentException naming the field, what was expected and what came
     */
    public void validateTraining() {
        RecipeCheck.validate(this);
    }

    private static java.util.List<String> fieldNames() {
        return java.util.Arrays.stream(FlowConfig.class.getFields())
                .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers()))
                .map(java.lang.reflect.Field::getName)
                .collect(java.util.stream.Collectors.toList());
    }

    /**
     * Writes this config as pretty JSON.
     *
     * @param file the destination
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        Files.writeString(file, JsonUtils.GSON_PRETTY.toJson(this) + "\n");
    }
}
