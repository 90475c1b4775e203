package io.github.djlflows.zoo.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.util.ProgressBar;
import ai.djl.translate.TranslateException;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.train.DataParallelTrainer;
import io.github.djlflows.core.train.FlowDatasets;
import io.github.djlflows.core.train.NegativeLogLikelihood;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains a flow from a {@link FlowConfig} by maximum likelihood, with a DJL {@link ProgressBar},
 * and writes a zoo artifact directory: a {@link ModelDirectory} ({@code <dir name>-0000.params},
 * {@code serving.properties}, {@code config.json}, {@code metrics.json}). Every {@code checkpointEvery} steps it saves a checkpoint to {@code
 * checkpoint/}; a later run with the same output directory resumes from it: the parameters and the
 * learning-rate schedule's position are restored, Adam's moment estimates start afresh and the data
 * order differs, so a resumed run is close to, not identical with, an uninterrupted one.
 *
 * <pre>{@code
 * FlowMetrics m = new ArtifactTrainer(config, Path.of("out/realnvp")).train();
 * }</pre>
 */
public class ArtifactTrainer {

    private static final String CHECKPOINT = "checkpoint";

    private final FlowConfig config;
    private final Path outDir;
    private int checkpointEvery = 500;
    private String command = "";
    private int maxStepsThisRun = Integer.MAX_VALUE;
    private int workers = 1;

    /**
     * Creates a trainer.
     *
     * @param config what to train
     * @param outDir where the artifact goes
     */
    public ArtifactTrainer(FlowConfig config, Path outDir) {
        this.config = config;
        this.outDir = outDir;
    }

    /**
     * Sets how often a checkpoint is written. Defaults to 500 steps.
     *
     * @param steps the interval
     * @return this trainer
     */
    public ArtifactTrainer optCheckpointEvery(int steps) {
        this.checkpointEvery = steps;
        return this;
    }

    /**
     * Stops after this many steps in this run, leaving a checkpoint; a later run resumes. Defaults
     * to no limit. Lets a long training be spread over several sessions.
     *
     * @param steps the most steps to run now
     * @return this trainer
     */
    public ArtifactTrainer optMaxStepsThisRun(int steps) {
        this.maxStepsThisRun = steps;
        return this;
    }

    /**
     * Sets the number of data-parallel worker threads: above 1, each batch is split across them
     * ({@link DataParallelTrainer}, one intra-op thread each, the same update as one worker up to
     * float rounding). Defaults to 1: DJL's {@code EasyTrain} on the calling thread.
     *
     * @param workers at least 1
     * @return this trainer
     */
    public ArtifactTrainer optWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.workers = workers;
        return this;
    }

    /**
     * Sets the command recorded in the metrics. Defaults to empty.
     *
     * @param command the command line
     * @return this trainer
     */
    public ArtifactTrainer optCommand(String command) {
        this.command = command;
        return this;
    }

    /**
     * Trains (or resumes), evaluates on the held-out set and writes the artifact.
     *
     * @return the recorded metrics, or null when the run stopped early at {@link
     *     #optMaxStepsThisRun} (a checkpoint holds the progress)
     * @throws IOException if data or files cannot be read or written
     */
    public FlowMetrics train() throws IOException {
        config.validateTraining();
        Files.createDirectories(outDir);
        Engine.getInstance().setRandomSeed((int) config.seed);
        long start = System.nanoTime();
        NormalizingFlow flow = FlowFactory.build(config);
        try (Model model = Model.newInstance(modelName(outDir));
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(flow);
            NDArray train = FlowData.train(config, data);
            int done = resume(model);
            int stopAt = (int) Math.min((long) config.steps, (long) done + maxStepsThisRun);
            DefaultTrainingConfig trainingConfig =
                    new DefaultTrainingConfig(new NegativeLogLikelihood())
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(
                                                    Tracker.fixed((float) config.learningRate))
                                            .build());
            ArrayDataset dataset = FlowDatasets.unlabeled(train, config.batchSize, true);
            ProgressBar progress = new ProgressBar(config.family, config.steps);
            if (workers > 1) {
                done = trainDataParallel(model, trainingConfig, dataset, data, done, stopAt, progress);
            } else try (Trainer trainer = model.newTrainer(trainingConfig)) {
                trainer.initialize(new Shape(config.batchSize).addAll(config.shape()));
                while (done < stopAt) {
                    for (Batch batch : trainer.iterateDataset(dataset)) {
                        try (batch) {
                            EasyTrain.trainBatch(trainer, batch);
                            trainer.step();
                        }
                        done++;
                        progress.update(done, "loss " + lossOf(trainer));
                        if (done % checkpointEvery == 0 && done < config.steps) {
                            checkpoint(model, done);
                        }
                        if (done >= stopAt) {
                            break;
                        }
                    }
                    if (done >= stopAt) {
                        break;
                    }
                }
            } catch (TranslateException e) {
                throw new IOException("training failed: " + e.getMessage(), e);
            }
            progress.end();
            if (done < config.steps) {
                checkpoint(model, done);
                System.out.println(
                        "stopped at step " + done + " of " + config.steps + "; run again to resume");
                return null;
            }
            FlowMetrics metrics = new FlowMetrics();
            double nll = HeldOut.nll(flow, FlowData.heldOut(config, data));
            if (FlowFactory.isImage(config)) {
                metrics.metric = "bits_per_dim";
                metrics.value = nll / (config.shape().size() * Math.log(2));
            } else {
                metrics.metric = "nll_nats";
                metrics.value = nll;
            }
            metrics.heldOut = FlowData.describeHeldOut(config);
            metrics.steps = done;
            metrics.wallSeconds = Math.round((System.nanoTime() - start) / 1e7) / 100.0;
            metrics.command = command;
            metrics.machine = Runtime.getRuntime().availableProcessors() + " CPU cores, " + System.getProperty("os.arch");
            ModelDirectory.save(model, config, metrics, outDir);
            deleteCheckpoint();
            return metrics;
        }
    }

    /** The {@link #optWorkers} loop: the same batches and optimizer, split across worker threads. */
    private int trainDataParallel(
            Model model,
            DefaultTrainingConfig trainingConfig,
            ArrayDataset dataset,
            NDManager data,
            int done,
            int stopAt,
            ProgressBar progress)
            throws IOException {
        try (DataParallelTrainer trainer =
                DataParallelTrainer.builder()
                        .setModel(model)
                        .optWorkers(workers)
                        .optOptimizer(trainingConfig.getOptimizer())
                        .build()) {
            while (done < stopAt) {
                for (Batch batch : dataset.getData(data)) {
                    float loss;
                    try (batch) {
                        loss = trainer.step(batch.getData().head());
                    }
                    done++;
                    progress.update(done, String.format(java.util.Locale.ROOT, "loss %.4f", loss));
                    if (done % checkpointEvery == 0 && done < config.steps) {
                        checkpoint(model, done);
                    }
                    if (done >= stopAt) {
                        break;
                    }
                }
            }
        } catch (TranslateException e) {
            throw new IOException("training failed: " + e.getMessage(), e);
        }
        return done;
    }

    /** The params' prefix of a model directory: the directory's name, as DJL's loader expects. */
    static String modelName(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? "flow" : name.toString();
    }

    /** The schedule, shifted by the steps already done so a resumed run continues it. */
    private Tracker learningRate(int done) {
        Tracker schedule = schedule();
        return numUpdate -> schedule.getNewValue(numUpdate + done);
    }

    private Tracker schedule() {
        float lr = (float) config.learningRate;
        if ("fixed".equals(config.schedule)) {
            return Tracker.fixed(lr);
        }
        if (!"cosine".equals(config.schedule)) {
            throw new IllegalArgumentException(
                    "unknown schedule '" + config.schedule + "', expected cosine or fixed");
        }
        // DJL's trackers count updates per parameter; the cosine ends at the last step
        return Tracker.cosine()
                .setBaseValue(lr)
                .optFinalValue(lr / 100)
                .setMaxUpdates(config.steps)
                .build();
    }

    private static String lossOf(Trainer trainer) {
        double value = ((NegativeLogLikelihood) trainer.getLoss()).getLastValue();
        return String.format("%.4f", value);
    }

    private int resume(Model model) throws IOException {
        Path dir = outDir.resolve(CHECKPOINT);
        Path stepFile = dir.resolve("step.txt");
        if (!Files.exists(stepFile)) {
            return 0;
        }
        int step = Integer.parseInt(Files.readString(stepFile).trim());
        try {
            model.load(dir, "checkpoint");
        } catch (MalformedModelException e) {
            throw new IOException("corrupt checkpoint in " + dir + ": " + e.getMessage(), e);
        }
        System.out.println("Resuming from step " + step + " (" + dir + ")");
        return step;
    }

    private void checkpoint(Model model, int step) throws IOException {
        Path dir = outDir.resolve(CHECKPOINT);
        if (Files.isDirectory(dir)) {
            deleteCheckpoint();
        }
        Files.createDirectories(dir);
        model.save(dir, "checkpoint");
        Path stepFile = dir.resolve("step.txt");
        Files.writeString(stepFile, Integer.toString(step));
    }

    private void deleteCheckpoint() throws IOException {
        Path dir = outDir.resolve(CHECKPOINT);
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
