package io.github.djlflows.zoo.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkpoint {@link ArtifactTrainer} keeps in {@code <out>/checkpoint/}: the parameters, the
 * steps done ({@code step.txt}) and the training seconds and runs so far ({@code time.txt}).
 */
final class TrainingCheckpoint {

    private final Path dir;

    /**
     * The checkpoint of an output directory.
     *
     * @param outDir the trainer's output directory
     */
    TrainingCheckpoint(Path outDir) {
        this.dir = outDir.resolve("checkpoint");
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
            deleteDirectory(dir);
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
        try {
            model.load(dir, "checkpoint");
        } catch (MalformedModelException e) {
            throw new IOException("corrupt checkpoint in " + dir + ": " + e.getMessage(), e);
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
        deleteDirectory(partial);
        Files.createDirectories(partial);
        try {
            model.save(partial, "checkpoint");
            Files.writeString(partial.resolve("step.txt"), Integer.toString(progress.step));
            Files.writeString(partial.resolve("time.txt"), progress.seconds + " " + progress.runs);
        } catch (IOException | RuntimeException e) {
            deleteDirectory(partial);
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
        deleteDirectory(previous);
        if (Files.isDirectory(dir)) {
            Files.move(dir, previous);
        }
        Files.move(partial, dir);
        deleteDirectory(previous);
    }

    /** Removes the checkpoint, if any. */
    void delete() throws IOException {
        deleteDirectory(dir);
    }

    private static void deleteDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (var files = Files.list(directory)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(directory);
        }
    }
}
