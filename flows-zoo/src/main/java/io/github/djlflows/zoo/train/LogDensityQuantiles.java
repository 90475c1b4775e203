package io.github.djlflows.zoo.train;

import ai.djl.ndarray.NDManager;
import ai.djl.util.JsonUtils;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The quantiles of the training rows' log-densities under the trained model, stored in a model
 * directory as {@code log-density-quantiles.json} so that new rows can be flagged as anomalies at a
 * chosen level: a row whose log-density lies below the q-quantile is as unlikely as the least
 * likely fraction q of the training data.
 *
 * <pre>{@code
 * double threshold = LogDensityQuantiles.read(dir).threshold(0.01);
 * boolean anomaly = logProb < threshold;
 * }</pre>
 */
public final class LogDensityQuantiles {

    /** The file name inside a model directory. */
    public static final String FILE = "log-density-quantiles.json";

    private static final int LEVELS = 1000;

    /** The levels 0, 0.001, ..., 1. */
    public double[] levels;

    /** The log-density (nats) at each level. */
    public double[] logDensity;

    /** How many rows they were computed from. */
    public int rows;

    // not written to the file: where these came from (see storedOrHeldOut)
    private transient boolean heldOut;

    /**
     * Computes the quantiles (linear interpolation between order statistics) of finite values.
     *
     * @param logDensities the training rows' log-densities
     * @return the quantiles
     * @throws IllegalArgumentException if no value is finite
     */
    public static LogDensityQuantiles of(float[] logDensities) {
        double[] sorted = new double[logDensities.length];
        int n = 0;
        for (float v : logDensities) {
            if (Float.isFinite(v)) {
                sorted[n++] = v;
            }
        }
        Preconditions.checkArgument(
                n > 0, "no finite log-density among " + logDensities.length + " rows");
        sorted = Arrays.copyOf(sorted, n);
        Arrays.sort(sorted);
        LogDensityQuantiles q = new LogDensityQuantiles();
        q.levels = new double[LEVELS + 1];
        q.logDensity = new double[LEVELS + 1];
        q.rows = n;
        for (int i = 0; i <= LEVELS; i++) {
            double level = (double) i / LEVELS;
            double pos = level * (n - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(n - 1, lo + 1);
            q.levels[i] = level;
            q.logDensity[i] = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }
        return q;
    }

    /**
     * The quantiles of the log-densities of a built-in dataset's held-out rows (the zoo's split of
     * {@code config.dataset}), what a zoo artifact or a model of a built-in dataset flags against:
     * its training rows are not stored with it.
     *
     * @param flow the model
     * @param config its config, naming a built-in dataset
     * @return the quantiles
     * @throws IOException if the dataset's files cannot be read
     * @throws IllegalArgumentException if the config names CSV input, not a built-in dataset
     */
    public static LogDensityQuantiles ofHeldOut(NormalizingFlow flow, FlowConfig config)
            throws IOException {
        Preconditions.checkArgument(
                config.input == null,
                "a model trained from "
                        + config.input
                        + " has no built-in held-out rows; its quantiles are stored as "
                        + FILE
                        + " by flows train --input");
        try (NDManager manager = NDManager.newBaseManager()) {
            return of(HeldOut.logDensities(flow, FlowData.heldOut(config, manager)));
        }
    }

    /**
     * The quantiles a model flags anomalies against, the one rule of {@code flows score
     * --flag-below} and of flows-spark: those stored in its directory ({@link #FILE}, written by
     * {@code flows train --input}), else, for a model of a built-in dataset (a zoo artifact), those
     * of the dataset's held-out rows ({@link #ofHeldOut}, computed here).
     *
     * @param dir the model directory, or null for a model without one
     * @param flow the model
     * @param config its config, or null when it has none
     * @return the quantiles, or null when the model has neither (a model trained from a table whose
     *     directory lacks the file, or one without a config)
     * @throws IOException if the stored file is corrupt or the dataset's files cannot be read
     */
    public static LogDensityQuantiles storedOrHeldOut(
            Path dir, NormalizingFlow flow, FlowConfig config) throws IOException {
        if (dir != null && Files.isRegularFile(dir.resolve(FILE))) {
            return read(dir);
        }
        if (config != null && config.input == null && config.dataset != null) {
            LogDensityQuantiles q = ofHeldOut(flow, config);
            q.heldOut = true;
            return q;
        }
        return null;
    }

    /**
     * Whether these quantiles are a built-in dataset's held-out rows' ({@link #storedOrHeldOut})
     * rather than stored training rows'.
     *
     * @return true for held-out quantiles
     */
    public boolean isHeldOut() {
        return heldOut;
    }

    /**
     * The log-density at level q, interpolated between the stored levels.
     *
     * @param q a level in (0, 1)
     * @return the threshold in nats
     * @throws IllegalArgumentException if q is outside (0, 1)
     */
    public double threshold(double q) {
        Preconditions.checkArgument(
                q > 0 && q < 1, "the quantile level must lie in (0, 1), got " + q);
        double pos = q * (levels.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(levels.length - 1, lo + 1);
        return logDensity[lo] + (pos - lo) * (logDensity[hi] - logDensity[lo]);
    }

    /**
     * Writes {@link #FILE} into a model directory.
     *
     * @param dir the model directory
     * @throws IOException if writing fails
     */
    public void write(Path dir) throws IOException {
        Files.writeString(
                dir.resolve(FILE),
                JsonUtils.GSON_PRETTY.toJson(this) + "\n",
                StandardCharsets.UTF_8);
    }

    /**
     * Reads {@link #FILE} from a model directory.
     *
     * @param dir the model directory
     * @return the quantiles
     * @throws IOException if the file is missing (a model trained without them) or corrupt
     */
    public static LogDensityQuantiles read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "no "
                            + FILE
                            + " in "
                            + dir.toAbsolutePath()
                            + ": train the model with flows train --input"
                            + " to record the training log-density quantiles --flag-below needs");
        }
        try {
            LogDensityQuantiles q =
                    JsonUtils.GSON.fromJson(Files.readString(file), LogDensityQuantiles.class);
            if (q == null
                    || q.levels == null
                    || q.logDensity == null
                    || q.levels.length != q.logDensity.length
                    || q.levels.length < 2) {
                throw new IOException(
                        "corrupt " + file + ": expected levels and logDensity of equal length");
            }
            return q;
        } catch (com.google.gson.JsonParseException e) {
            throw new IOException("corrupt " + file + ": " + e.getMessage(), e);
        }
    }
}
