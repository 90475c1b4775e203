package io.github.djlflows.zoo.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.djlflows.zoo.FileTrees;
import io.github.djlflows.zoo.FlowConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * The checkpoint {@link ArtifactTrainer} keeps in {@code <out>/checkpoint/}: the parameters, the
 * config that wrote them ({@code config.json}), the steps done ({@code step.txt}) and the training
 * seconds and runs so far ({@code time.txt}). A run resumes it only with the same config.
 */
final class TrainingCheckpoint {

    private static final String CONFIG = "config.json";

    private final Path dir;
    private final FlowConfig config;

    /**
     * The checkpoint of an output directory.
     *
     * @param outDir the trainer's output directory
     * @param config the run's config
     */
    TrainingCheckpoint(Path outDir, FlowConfig config) {
        this.dir = outDir.resolve("checkpoint");
        this.config = config;
    }

    /** Where a run stands: steps done, training seconds so far, and how many runs took part. */
    static final class Progress {
        final int step;
        final double seconds;
        final int runs;

        Progress(int step, double seconds, int runs) {
            this.step = step;
            this.seconds = seconds;
            this.runs = runs;
        }
    }

    /** Loads the checkpoint into the model, if there is one; else no progress. */
    Progress resume(Model model) throws IOException {
        Path stepFile = dir.resolve("step.txt");
        Path previous = dir.resolveSibling(dir.getFileName() + ".previous");
        if (!Files.exists(stepFile) && Files.exists(previous.resolve("step.txt"))) {
            // stopped while replacing it: the previous checkpoint is whole
            FileTrees.delete(dir);
            Files.move(previous, dir);
        }
        if (!Files.exists(stepFile)) {
            return new Progress(0, 0, 0);
        }
        int step = Integer.parseInt(Files.readString(stepFile).trim());
        // time.txt: "seconds runs" (absent in older checkpoints)
        Path timeFile = dir.resolve("time.txt");
        String[] fields =
                Files.exists(timeFile)
                        ? Files.readString(timeFile).trim().split("\\s+")
                        : new String[0];
        double seconds = fields.length > 0 ? Double.parseDouble(fields[0]) : 0;
        int runs = fields.length > 1 ? Integer.parseInt(fields[1]) : 1;
        String changed = changedKeys();
        if (!changed.isEmpty()) {
            throw new IOException(
                    "the checkpoint in "
                            + dir
                            + " was written by another config ("
                            + changed
                            + "); resume with the options that wrote it, or delete "
                            + dir
                            + " to start afresh");
        }
        try {
            model.load(dir, "checkpoint");
        } catch (MalformedModelException | IOException | RuntimeException e) {
            throw new IOException(
                    "the checkpoint in "
                            + dir
                            + " does not fit the model this run builds (written with other options,"
                            + " or damaged): "
                            + e.getMessage()
                            + "; resume with the options that wrote it, or delete "
                            + dir
                            + " to start afresh",
                    e);
        }
        System.out.println("Resuming from step " + step + " (" + dir + ")");
        return new Progress(step, seconds, runs);
    }

    /**
     * Replaces the checkpoint with the model's parameters and the progress. The new checkpoint is
     * written beside the old one and takes its place only once complete, so a save that fails (disk
     * full, a block that cannot describe itself) leaves the previous checkpoint resumable.
     */
    void save(Model model, Progress progress) throws IOException {
        Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
        FileTrees.delete(partial);
        Files.createDirectories(partial);
        try {
            model.save(partial, "checkpoint");
            config.write(partial.resolve(CONFIG));
            Files.writeString(partial.resolve("step.txt"), Integer.toString(progress.step));
            Files.writeString(partial.resolve("time.txt"), progress.seconds + " " + progress.runs);
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(partial);
            throw new IOException(
                    "could not write the checkpoint at step "
                            + progress.step
                            + " (the previous one in "
                            + dir
                            + " is kept): "
                            + e.getMessage(),
                    e);
        }
        Path previous = dir.resolveSibling(dir.getFileName() + ".previous");
        FileTrees.delete(previous);
        if (Files.isDirectory(dir)) {
            Files.move(dir, previous);
        }
        Files.move(partial, dir);
        FileTrees.delete(previous);
    }

    /**
     * The keys whose values differ between the checkpoint's config and this run's, as "key: saved
     * there, now here" (empty when equal, or for an older checkpoint without a config).
     */
    private String changedKeys() throws IOException {
        Path saved = dir.resolve(CONFIG);
        if (!Files.exists(saved)) {
            return "";
        }
        JsonObject there = JsonUtils.GSON.toJsonTree(FlowConfig.read(saved)).getAsJsonObject();
        JsonObject here = JsonUtils.GSON.toJsonTree(config).getAsJsonObject();
        Set<String> keys = new TreeSet<>(there.keySet());
        keys.addAll(here.keySet());
        StringJoiner changes = new StringJoiner("; ");
        for (String key : keys) {
            JsonElement a = there.get(key);
            JsonElement b = here.get(key);
            if (!Objects.equals(a, b)) {
                changes.add(key + ": " + a + " there, " + b + " now");
            }
        }
        return changes.toString();
    }

    /** Removes the checkpoint, if any. */
    void delete() throws IOException {
        FileTrees.delete(dir);
    }
}
