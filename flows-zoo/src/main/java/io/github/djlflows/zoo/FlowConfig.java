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
    /** Spline bound B (nsf). */
    public double bound = 4;
    /** Whether batch-norm flows sit between layers. */
    public boolean batchNorm;
    /** Multi-scale levels (image flows). */
    public int levels = 2;
    /** Hidden channels of conv conditioners (image flows). */
    public int hiddenChannels = 64;

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
     * Validations without improvement on the best before training stops early, 0 to never stop
     * early.
     */
    public int patience;
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
                .optWarmupSteps(kind == LearningRateSchedule.Kind.WARMUP_COSINE ? warmupSteps : 0)
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
            FlowConfig config = JsonUtils.GSON.fromJson(reader, FlowConfig.class);
            if (config == null) {
                throw new IOException("empty config: " + source);
            }
            if (!FlowFactory.FAMILIES.contains(config.family)) {
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
     * Writes this config as pretty JSON.
     *
     * @param file the destination
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        Files.writeString(file, JsonUtils.GSON_PRETTY.toJson(this) + "\n");
    }
}
