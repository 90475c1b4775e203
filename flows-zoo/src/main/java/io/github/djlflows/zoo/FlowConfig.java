package io.github.djlflows.zoo;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.JsonUtils;
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
    /** Spline bound B (nsf). */
    public double bound = 4;
    /** Whether batch-norm flows sit between layers. */
    public boolean batchNorm;
    /** Multi-scale levels (image flows). */
    public int levels = 2;
    /** Hidden channels of conv conditioners (image flows). */
    public int hiddenChannels = 64;

    /** Seed of the engine (initialisation, shuffling). */
    public long seed = 42;
    /** Training steps (batches). */
    public int steps = 3000;
    /** Batch size. */
    public int batchSize = 256;
    /** Adam learning rate. */
    public double learningRate = 2e-3;
    /** Learning-rate schedule: {@code cosine} (decays to 1% over the steps) or {@code fixed}. */
    public String schedule = "cosine";
    /** Training-set size (generated datasets) or 0 for the whole split. */
    public int trainSize = 20_000;
    /** Seed of the training set (generated datasets) or of the split. */
    public long trainSeed = 1;
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
                            "config " + source + " has an unknown key '" + key + "', known: " + known);
                }
            }
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
     * Checks the training recipe before any work: positive steps, batch size, finite learning rate
     * and held-out size, a training set that is not empty (0 means the whole split only for the
     * image datasets), and a known schedule.
     *
     * @throws IllegalArgumentException naming the field, what was expected and what came
     */
    public void validateTraining() {
        check(steps > 0, "steps must be positive, got " + steps);
        check(batchSize > 0, "batchSize must be positive, got " + batchSize);
        check(learningRate > 0 && Double.isFinite(learningRate),
                "learningRate must be a positive finite number, got " + learningRate);
        check(heldOutSize > 0, "heldOutSize must be positive, got " + heldOutSize);
        boolean wholeSplit = "fashion-mnist".equals(dataset) || "digits".equals(dataset);
        check(trainSize > 0 || (trainSize == 0 && wholeSplit),
                "trainSize must be positive (0, the whole split, only for digits and fashion-mnist),"
                        + " got " + trainSize + " for " + dataset);
        check("cosine".equals(schedule) || "fixed".equals(schedule),
                "schedule must be cosine or fixed, got '" + schedule + "'");
        check(eventShape != null && eventShape.length > 0,
                "eventShape must name at least one axis");
        for (long axis : eventShape) {
            check(axis > 0, "eventShape axes must be positive, got " + java.util.Arrays.toString(eventShape));
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("config: " + message);
        }
    }

    private static java.util.List<String> fieldNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (java.lang.reflect.Field f : FlowConfig.class.getFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                names.add(f.getName());
            }
        }
        return names;
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
