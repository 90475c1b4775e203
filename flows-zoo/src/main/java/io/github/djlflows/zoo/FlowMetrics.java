package io.github.djlflows.zoo;

import ai.djl.util.JsonUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How an artifact was trained and what it reached on held-out data, stored as {@code metrics.json}.
 *
 * <pre>{@code
 * FlowMetrics m = FlowMetrics.read(Path.of("model/metrics.json"));
 * System.out.println(m.metric + " = " + m.value);
 * }</pre>
 */
public final class FlowMetrics {

    /** The metric's name: {@code nll_nats} or {@code bits_per_dim}. */
    public String metric;

    /** The held-out value. */
    public double value;

    /** How the value was computed from the model's log-density. */
    public String evaluation;

    /** What the held-out set is. */
    public String heldOut;

    /** Training steps done. */
    public int steps;

    /** The step whose weights were kept (best validation NLL), absent without validation. */
    public Integer bestStep;

    /** The validation NLL in nats at {@link #bestStep}. */
    public Double bestValidationNll;

    /** Wall-clock training time in seconds (summed over resumed runs, evaluation excluded). */
    public double wallSeconds;

    /** How many runs (a first one and its resumptions) trained the artifact. */
    public int runs;

    /** The recipe that ran: optimizer, learning-rate schedule, batches, data preparation. */
    public String recipe;

    /** Intra-op threads the engine used for training (each worker's, with several workers). */
    public int threads;

    /** Data-parallel worker threads that trained (0 in records older than this field). */
    public int workers;

    /**
     * For uniformly dequantized images: the uniform-dequantization upper bound on bits/dim, -E_u
     * log p((x + u) / 256) / (D ln 2) + 8 with one seeded draw u ~ U[0, 1)^D per held-out image
     * (Theis et al. 2016), the figure published bits/dim report; {@link #value} is the model at bin
     * centres, which is no bound. Null otherwise (a variational model's value is its bound).
     */
    public Double uniformBound;

    /**
     * Why the run stopped before its configured steps, absent when it did not: a diverging or
     * non-finite NLL's message (the saved weights are then the best validated ones, {@link
     * #bestStep}).
     */
    public String stopped;

    /** The command that reproduces the artifact. */
    public String command;

    /** Anything a reproduction should know (for example, that the run was resumed). */
    public String notes;

    /** The params file of the model directory, {@code <name>-0000.params}. */
    public String paramsFile;

    /** SHA-256 of the params file, checked before the params load. */
    public String paramsSha256;

    /** The machine it was trained on. */
    public String machine;

    /**
     * Reads a metrics file.
     *
     * @param in the JSON stream
     * @param source a name for error messages
     * @return the metrics
     * @throws IOException if it cannot be parsed
     */
    public static FlowMetrics read(InputStream in, String source) throws IOException {
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            FlowMetrics m = JsonUtils.GSON.fromJson(reader, FlowMetrics.class);
            if (m == null || m.metric == null) {
                throw new IOException("metrics file without a metric: " + source);
            }
            return m;
        } catch (com.google.gson.JsonParseException e) {
            throw new IOException("corrupt metrics " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the metrics as pretty JSON.
     *
     * @param file the destination
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        Files.writeString(file, JsonUtils.GSON_PRETTY.toJson(this) + "\n");
    }
}
