package io.github.djlflows.zoo.cli;

import io.github.djlflows.zoo.FileTrees;
import io.github.djlflows.zoo.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The output directory of {@code flows train}: refuses to replace a finished model unless asked,
 * and removes a directory it created when the run fails, so a failed run leaves nothing behind.
 */
final class OutputDirectory {

    /** Files a finished model directory holds (any one of them marks a model). */
    private static final List<String> MODEL_FILES =
            List.of("config.json", "serving.properties", "metrics.json");

    /**
     * The files a CSV run writes beside the model files.
     *
     * @param dir the output directory, whose name names the params file
     * @return its params file, training log, curve and quantiles
     */
    static List<String> csvRunFiles(Path dir) {
        return List.of(
                ModelDirectory.nameFor(dir) + "-0000.params",
                "training-log.csv",
                "training-curve.png",
                "log-density-quantiles.json");
    }

    private final Path dir;
    private final boolean created;

    private OutputDirectory(Path dir, boolean created) {
        this.dir = dir;
        this.created = created;
    }

    /**
     * Checks the directory before any work.
     *
     * @param dir the output directory
     * @param overwrite whether a finished model there may be replaced
     * @return the handle
     * @throws IOException if it holds a model and overwrite is off, or is a file
     */
    static OutputDirectory prepare(Path dir, boolean overwrite) throws IOException {
        return prepare(dir, overwrite, List.of());
    }

    /**
     * Checks the directory before any work, also refusing to replace files of the user's that this
     * run writes.
     *
     * @param dir the output directory
     * @param overwrite whether a finished model or such files there may be replaced
     * @param runFiles names of the other files the run writes
     * @return the handle
     * @throws IOException if it holds a model or one of those files and overwrite is off, or is a
     *     file
     */
    static OutputDirectory prepare(Path dir, boolean overwrite, List<String> runFiles)
            throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(
                    "--out " + dir.toAbsolutePath() + " is a file, expected a directory");
        }
        boolean exists = Files.isDirectory(dir);
        if (exists && !overwrite) {
            for (String name : MODEL_FILES) {
                if (Files.exists(dir.resolve(name))) {
                    throw new IOException(
                            dir.toAbsolutePath()
                                    + " already holds a model ("
                                    + name
                                    + "); pass --overwrite to replace it, or choose another --out");
                }
            }
            for (String name : runFiles) {
                if (Files.exists(dir.resolve(name))) {
                    throw new IOException(
                            dir.toAbsolutePath()
                                    + " holds "
                                    + name
                                    + ", which this run would replace; pass --overwrite to"
                                    + " replace it, or choose another --out");
                }
            }
        }
        return new OutputDirectory(dir, !exists);
    }

    /** Removes the directory when this run created it (call after a failure). */
    void cleanUpAfterFailure() {
        if (!created || !Files.isDirectory(dir)) {
            return;
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            System.err.println(
                    "warning: could not remove " + dir.toAbsolutePath() + ": " + e.getMessage());
        }
    }
}
