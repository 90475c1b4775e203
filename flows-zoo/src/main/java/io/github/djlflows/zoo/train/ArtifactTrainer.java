package io.github.djlflows.zoo.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.util.ProgressBar;
import ai.djl.translate.TranslateException;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.train.DataParallelTrainer;
import io.github.djlflows.core.train.NegativeLogLikelihood;
import io.github.djlflows.core.train.NonFiniteLossException;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.train.TrainingCheckpoint.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trains a flow from a {@link FlowConfig} by maximum likelihood, with a DJL {@link ProgressBar},
 * and writes a zoo artifact directory: a {@link ModelDirectory} ({@code <dir name>-0000.params},
 * {@code serving.properties}, {@code config.json}, {@code metrics.json}). Every {@code
 * checkpointEvery} steps it saves a checkpoint to {@code checkpoint/}; a later run with the same
 * output directory resumes from it: the parameters, the step count (so the config's learning-rate
 * schedule continues where it stopped) and the training time so far are restored; Adam's moment
 * estimates start afresh and the data order differs, so a resumed run is close to, not identical
 * with, an uninterrupted one. Digits are dequantized afresh every batch ({@link
 * FlowData#trainingBatch}).
 *
 * <p>With a validation set ({@code validationSize > 0}) the NLL on it is computed every {@code
 * validateEvery} steps and at the end; the weights with the best validation NLL are the ones
 * evaluated and saved, training stops early after {@code patience} validations without improvement
 * (when set), and a non-finite or diverging validation NLL (or a non-finite training loss) stops
 * the run: the best validated weights are saved, with {@code metrics.json}'s {@code stopped} saying
 * why, and a {@link ValidationDivergedException} (or {@code NonFiniteLossException}) names the
 * step, the value, the best and where it was saved. Before any validation there is nothing to save,
 * and the stop is thrown as it came. The best weights are kept in memory: a resumed run validates
 * afresh. With {@code emaDecay > 0} an exponential moving average of the weights ({@link
 * WeightAverage}) is what is validated, kept, evaluated and saved (training continues on the raw
 * weights; checkpoints hold the raw weights, and a resumed run starts the average afresh from
 * them).
 *
 * <pre>{@code
 * FlowMetrics m = new ArtifactTrainer(config, Path.of("out/realnvp")).train();
 * }</pre>
 */
public class ArtifactTrainer {

    private final FlowConfig config;
    private final Path outDir;
    private final TrainingCheckpoint checkpoints;
    private int checkpointEvery = 500;
    private String command = "";
    private int maxStepsThisRun = Integer.MAX_VALUE;
    private int workers = 1;
    private WeightAverage average;
    // the run in progress (trainAndSave)
    private ProgressBar progress;
    private Progress resumed;
    private long start;
    private int runs;
    private IllegalStateException stop; // a divergence or non-finite loss that ended the loop
    private final java.util.List<Double> curve = new java.util.ArrayList<>();

    /**
     * Creates a trainer.
     *
     * @param config what to train
     * @param outDir where the artifact goes
     */
    public ArtifactTrainer(FlowConfig config, Path outDir) {
        this.config = config;
        this.outDir = outDir;
        this.checkpoints = new TrainingCheckpoint(outDir, config);
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
        try (WeightAverage averaging = new WeightAverage(config.emaDecay)) {
            average = averaging;
            return trainAndSave();
        }
    }

    private FlowMetrics trainAndSave() throws IOException {
        int bestStep = -1;
        double bestValidation = Double.NaN;
        Files.createDirectories(outDir);
        Engine.getInstance().setRandomSeed((int) config.seed);
        start = System.nanoTime();
        stop = null;
        curve.clear();
        NormalizingFlow full = FlowFactory.build(config);
        NormalizingFlow flow =
                config.latentTailsAfterTraining
                        ? FlowFactory.withoutLatentTails(config, full)
                        : full;
        try (Model model = Model.newInstance(ModelDirectory.nameFor(outDir));
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(flow);
            NDArray train = FlowData.train(config, data);
            resumed = checkpoints.resume(model);
            if (resumed.step == 0 && config.initFrom != null) {
                System.out.println(InitialParameters.copy(model, config));
            }
            int done = resumed.step;
            runs = resumed.runs + 1;
            int stopAt = (int) Math.min((long) config.steps, (long) done + maxStepsThisRun);
            DefaultTrainingConfig trainingConfig =
                    new DefaultTrainingConfig(new NegativeLogLikelihood())
                            .optOptimizer(optimizer(done));
            ArrayDataset dataset = TabularTrainer.batches(train, config, workers);
            NDArray validationData = FlowData.validation(config, data);
            progress = new ProgressBar(config.family, config.steps);
            boolean early;
            // one worker trains through this DJL trainer; several only validate through it
            try (Trainer trainer = model.newTrainer(trainingConfig);
                    Validation validation =
                            validationData == null
                                    ? null
                                    : new Validation(config, validationData)
                                            .optLog(validationLog())) {
                done =
                        workers > 1
                                ? trainDataParallel(
                                        model,
                                        trainingConfig,
                                        dataset,
                                        data,
                                        done,
                                        stopAt,
                                        validation,
                                        trainer)
                                : trainOnCaller(model, trainer, dataset, done, stopAt, validation);
                if (stop != null && (validation == null || validation.bestStep() < 0)) {
                    throw stop; // no validated weights to fall back on
                }
                early = stop != null || validation != null && validation.stopped();
                if (validation != null && (done >= config.steps || early)) {
                    validation.restoreBest(trainer); // with emaDecay: the best average
                    bestStep = validation.bestStep();
                    bestValidation = validation.bestValue();
                }
            }
            progress.end();
            if (validationData == null && (done >= config.steps || early)) {
                average.apply();
            }
            double seconds = resumed.seconds + secondsSince(start);
            if (done < config.steps && !early) {
                checkpoints.save(model, new Progress(done, seconds, runs));
                System.out.println(
                        "stopped at step "
                                + done
                                + " of "
                                + config.steps
                                + "; run again to resume");
                return null;
            }
            if (flow != full) { // latentTailsAfterTraining: the trained blocks, now with the tails
                Shape one = new Shape(1).addAll(config.shape());
                full.initialize(model.getNDManager(), DataType.FLOAT32, one);
                model.setBlock(full);
            }
            FlowMetrics metrics =
                    TrainingRecord.evaluate(
                            config, full, FlowData.heldOut(config, data), done, seconds, command);
            metrics.runs = runs;
            metrics.workers = workers;
            metrics.stopped = stop == null ? null : stop.getMessage();
            if (bestStep >= 0) {
                metrics.bestStep = bestStep;
                metrics.bestValidationNll = bestValidation;
            }
            ModelDirectory.save(model, config, metrics, outDir);
            if (!curve.isEmpty()) { // the data-parallel loop keeps no per-pass curve yet
                TrainingRecord.plotCurve(config, curve, outDir.resolve("training-curve.png"));
            }
            checkpoints.delete();
            if (stop != null) {
                throw new DivergedRunException(
                        stop,
                        String.format(
                                java.util.Locale.ROOT,
                                "step %d, validation NLL %.4f nats",
                                bestStep,
                                bestValidation),
                        outDir);
            }
            return metrics;
        }
    }

    /**
     * The one-worker loop: DJL's {@code EasyTrain} on the calling thread. A divergence ends it into
     * {@link #stop}.
     *
     * @return the steps done
     */
    private int trainOnCaller(
            Model model,
            Trainer trainer,
            ArrayDataset dataset,
            int done,
            int stopAt,
            Validation validation)
            throws IOException {
        trainer.initialize(new Shape(config.batchSize).addAll(config.shape()));
        try {
            while (done < stopAt) {
                double epochLoss = 0;
                int epochSteps = 0;
                for (Batch batch : trainer.iterateDataset(dataset)) {
                    try (batch) {
                        NDList inputs = batch.getData();
                        inputs.set(0, FlowData.trainingBatch(config, inputs.head()));
                        EasyTrain.trainBatch(trainer, batch);
                        trainer.step();
                    }
                    average.step(model.getBlock());
                    epochLoss += ((NegativeLogLikelihood) trainer.getLoss()).getLastValue();
                    epochSteps++;
                    done++;
                    progress.update(done, "loss " + lossOf(trainer));
                    if (afterStep(model, done, stopAt, validation, trainer)) {
                        curve.add(epochLoss / epochSteps);
                        return done;
                    }
                }
                curve.add(epochLoss / Math.max(1, epochSteps));
            }
        } catch (ValidationDivergedException | NonFiniteLossException e) {
            stop = e;
        } catch (TranslateException e) {
            throw new IOException("training failed: " + e.getMessage(), e);
        }
        return done;
    }

    /**
     * What follows every step in either loop: the validation when due, the checkpoint when due.
     *
     * @return whether the loop ends here (patience ran out, or this run's last step)
     * @throws ValidationDivergedException on a diverging validation NLL
     */
    private boolean afterStep(
            Model model, int done, int stopAt, Validation validation, Trainer scorer)
            throws IOException {
        if (validation != null
                && validationDue(done)
                && average.validate(validation, scorer, done)) {
            System.out.println(validation.patienceMessage(done));
            return true;
        }
        if (done % checkpointEvery == 0 && done < config.steps) {
            checkpoints.save(
                    model, new Progress(done, resumed.seconds + secondsSince(start), runs));
        }
        return done >= stopAt;
    }

    /**
     * The {@link #optWorkers} loop: the same batches and optimizer, split across worker threads,
     * and the same validation (scored through {@code scorer}, a trainer that only evaluates).
     */
    private int trainDataParallel(
            Model model,
            DefaultTrainingConfig trainingConfig,
            ArrayDataset dataset,
            NDManager data,
            int done,
            int stopAt,
            Validation validation,
            Trainer scorer)
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
                        loss = trainer.step(FlowData.trainingBatch(config, batch.getData().head()));
                    }
                    average.step(model.getBlock());
                    done++;
                    progress.update(done, String.format(java.util.Locale.ROOT, "loss %.4f", loss));
                    if (afterStep(model, done, stopAt, validation, scorer)) {
                        return done;
                    }
                }
            }
        } catch (ValidationDivergedException | NonFiniteLossException e) {
            stop = e;
        } catch (TranslateException e) {
            throw new IOException("training failed: " + e.getMessage(), e);
        }
        return done;
    }

    /**
     * Whether a validation is due after {@code done} steps: every validateEvery, and at the end.
     */
    private boolean validationDue(int done) {
        return done % config.validateEvery == 0 || done == config.steps;
    }

    private Path validationLog() {
        return outDir.resolve("validation-log.csv");
    }

    /**
     * The optimizer this trainer uses ({@link Optimizers#of}): Adam, or AdamW with the config's
     * {@code weightDecay}, at the config's schedule from the steps already done.
     *
     * @param done the steps already done
     * @return the optimizer
     * @throws IllegalArgumentException when the config names an unknown schedule
     */
    Optimizer optimizer(int done) {
        return Optimizers.of(config, done);
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String lossOf(Trainer trainer) {
        return String.format("%.4f", ((NegativeLogLikelihood) trainer.getLoss()).getLastValue());
    }
}
