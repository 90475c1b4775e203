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

    /** Replaces the checkpoint with the model's parameters and the progress. */
    void save(Model model, Progress progress) throws IOException {
        if (Files.isDirectory(dir)) {
            delete();
        }
        Files.createDirectories(dir);
        model.save(dir, "checkpoint");
        Files.writeString(dir.resolve("step.txt"), Integer.toString(progress.step));
        Files.writeString(dir.resolve("time.txt"), progress.seconds + " " + progress.runs);
    }

    /** Removes the checkpoint, if any. */
    void delete() throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
