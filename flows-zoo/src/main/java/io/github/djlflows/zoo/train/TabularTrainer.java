package io.github.djlflows.zoo.train;

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
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.elementwise.Standardize;
import io.github.djlflows.core.train.BestValidationListener;
import io.github.djlflows.core.train.DataParallelTrainer;
import io.github.djlflows.core.train.FlowDatasets;
import io.github.djlflows.core.train.FusedAdam;
import io.github.djlflows.core.train.LearningRateSchedule;
import io.github.djlflows.core.train.NegativeLogLikelihood;
import io.github.djlflows.core.train.NonFiniteLossException;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.csv.CsvTable;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Fits a flow to a numeric table: a seeded split into training, validation and test rows, a fixed
 * standardisation fitted to the training rows at the data end of the flow (when the config asks),
 * Adam with the config's schedule, validation NLL after every epoch with early stopping on the best
 * (a {@link BestValidationListener}, whose best weights are kept), and a final test NLL. The
 * trained {@link Model} stays open in the result for saving.
 *
 * <pre>{@code
 * try (TabularTrainer.Result r = new TabularTrainer(config, table, outDir, System.err).train()) {
 *     System.out.println(r.testNll);
 * }
 * }</pre>
 */
public final class TabularTrainer {

    private static final int EVAL_CHUNK = 4096;

    private final FlowConfig config;
    private final CsvTable table;
    private final PrintStream log;
    private final String modelName;
    private int workers = 1;

    /**
     * Creates a trainer.
     *
     * @param config the architecture and recipe; {@code eventShape} and {@code columns} are set
     *     from the table
     * @param table the rows, all finite
     * @param outDir the model directory it is for (its name names the model, as DJL expects)
     * @param log where the progress lines and warnings go
     */
    public TabularTrainer(
            FlowConfig config, CsvTable table, java.nio.file.Path outDir, PrintStream log) {
        this.config = config;
        this.table = table;
        this.modelName = ModelDirectory.nameFor(outDir);
        this.log = log;
    }

    /**
     * Sets the number of data-parallel worker threads: above 1, each batch is split across them
     * ({@link DataParallelTrainer}, one intra-op thread each: the same update as one worker up to
     * float rounding, so the same curve within float tolerance). Defaults to 1.
     *
     * @param workers at least 1
     * @return this trainer
     */
    public TabularTrainer optWorkers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.workers = workers;
        return this;
    }

    /** What a run produced; closing it closes the model. */
    public static final class Result implements AutoCloseable {
        /** The trained model (best validation weights), its block a {@link NormalizingFlow}. */
        public Model model;

        /** Mean NLL of the test rows, nats per row in the data's units. */
        public double testNll;

        /** The best validation NLL. */
        public double bestValidationNll;

        /** The epoch (1-based) of the best validation NLL. */
        public int bestEpoch;

        /** Mean training NLL per epoch. */
        public List<Double> trainCurve = new ArrayList<>();

        /** Validation NLL per epoch. */
        public List<Double> validationCurve = new ArrayList<>();

        /** The training rows' log-densities under the final model. */
        public float[] trainLogDensities;

        /** Rows in the training, validation and test splits. */
        public int trainRows;

        /** Rows in the validation split. */
        public int validationRows;

        /** Rows in the test split. */
        public int testRows;

        /** Steps run. */
        public int steps;

        /** Data-parallel worker threads that trained (1: the trainer's own loop). */
        public int workers = 1;

        /** Intra-op threads of the engine (each worker's, with several workers). */
        public int threads;

        /** The recipe that ran: optimizer, schedule, epochs, batches, early stopping. */
        public String recipe;

        /** Whether early stopping ended the run. */
        public boolean stoppedEarly;

        /**
         * A non-finite training loss or validation NLL that ended the run after a validated epoch
         * (the model then holds that epoch's weights), else null.
         */
        public NonFiniteLossException stopped;

        @Override
        public void close() {
            if (model != null) {
                model.close();
            }
        }
    }

    /**
     * Trains.
     *
     * @return the result, holding the open model
     * @throws IOException if the table is too small for the split or training fails
     */
    public Result train() throws IOException {
        int n = table.size();
        int d = table.width();
        int testRows = (int) Math.round(config.testFraction * n);
        int valRows = (int) Math.round(config.valFraction * n);
        int trainRows = n - testRows - valRows;
        if (trainRows < 2 || valRows < 1 || testRows < 1) {
            throw new IOException(
                    String.format(
                            "%s: %d rows split as %d train / %d validation / %d test (val fraction %s, test"
                                    + " fraction %s); expected at least 2 / 1 / 1",
                            table.source(),
                            n,
                            trainRows,
                            valRows,
                            testRows,
                            config.valFraction,
                            config.testFraction));
        }
        int[] order = shuffled(n, config.trainSeed);
        CsvTable train = table.select(java.util.Arrays.copyOfRange(order, 0, trainRows));
        CsvTable val =
                table.select(java.util.Arrays.copyOfRange(order, trainRows, trainRows + valRows));
        CsvTable test = table.select(java.util.Arrays.copyOfRange(order, trainRows + valRows, n));
        requireVarying(train);
        config.eventShape = new long[] {d};
        config.columns = table.columns().toArray(new String[0]);
        config.validateTraining();

        Engine.getInstance().setRandomSeed((int) config.seed);
        Result result = new Result();
        result.trainRows = trainRows;
        result.validationRows = valRows;
        result.testRows = testRows;
        Model model = Model.newInstance(modelName);
        result.model = model;
        try (NDManager data = NDManager.newBaseManager()) {
            NDArray trainX = data.create(train.floatRows());
            NDArray valX = data.create(val.floatRows());
            NDArray testX = data.create(test.floatRows());
            Standardize standardize = config.standardize ? Standardize.fit(trainX) : null;
            SplineBounds.warn(config, train, standardize, log);
            NormalizingFlow flow = FlowFactory.build(config, standardize);
            model.setBlock(flow);
            fit(model, trainX, valX, result);
            result.testNll = HeldOut.nll(flow, testX);
            result.trainLogDensities = HeldOut.logDensities(flow, trainX);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return result;
    }

    private void fit(Model model, NDArray trainX, NDArray valX, Result result) throws IOException {
        int rows = (int) trainX.getShape().get(0);
        int batch = Math.min(config.batchSize, rows);
        ArrayDataset dataset = batches(trainX, config, workers);
        int perEpoch =
                rows / batch
                        + (rows % batch == 0 || dropsLast(rows, batch, config.batchNorm, workers)
                                ? 0
                                : 1);
        int epochs =
                config.epochs > 0
                        ? config.epochs
                        : Math.max(1, (config.steps + perEpoch - 1) / perEpoch);
        int total = epochs * perEpoch;
        NegativeLogLikelihood nll = new NegativeLogLikelihood();
        DefaultTrainingConfig trainingConfig =
                new DefaultTrainingConfig(nll)
                        .optOptimizer(
                                FusedAdam.builder()
                                        .optLearningRateTracker(schedule(total))
                                        .build());
        BestValidationListener best =
                BestValidationListener.builder()
                        .setScore(BestValidationListener.meanNll(valX, EVAL_CHUNK))
                        .optPatience(config.patience)
                        .build();
        result.threads = TrainingRecord.threads();
        result.recipe =
                String.format(
                        java.util.Locale.ROOT,
                        "FusedAdam, %s over %d epochs of %d steps of batch %d, engine seed %d;"
                                + " validation NLL after every epoch, the best epoch's weights kept%s",
                        TrainingRecord.schedule(config),
                        epochs,
                        perEpoch,
                        batch,
                        config.seed,
                        config.patience > 0
                                ? ", stopping after "
                                        + config.patience
                                        + " epochs without improvement"
                                : "");
        long start = System.nanoTime();
        int steps = 0;
        // with workers, the trainer only scores the validation rows and restores the best weights
        try (Trainer trainer = model.newTrainer(trainingConfig);
                DataParallelTrainer parallel =
                        workers > 1
                                ? DataParallelTrainer.builder()
                                        .setModel(model)
                                        .optWorkers(workers)
                                        .optOptimizer(trainingConfig.getOptimizer())
                                        .build()
                                : null) {
            trainer.initialize(new Shape(batch, trainX.getShape().get(1)));
            result.workers = parallel == null ? 1 : parallel.getWorkers();
            try {
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    double sum = 0;
                    int count = 0;
                    for (Batch b : trainer.iterateDataset(dataset)) {
                        try (b) {
                            if (parallel != null) {
                                sum += parallel.step(b.getData().head());
                            } else {
                                EasyTrain.trainBatch(trainer, b);
                                trainer.step();
                                sum += nll.getLastValue();
                            }
                        }
                        count++;
                        steps++;
                    }
                    boolean stop = best.evaluate(trainer);
                    result.trainCurve.add(sum / count);
                    result.validationCurve.add(best.getLast());
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double rate = steps / Math.max(seconds, 1e-9);
                    log.printf(
                            "epoch %d/%d  step %d  %.1f steps/s  ETA %.0f s  train %.4f  val %.4f  (best %.4f @ %d)%n",
                            epoch,
                            epochs,
                            steps,
                            rate,
                            (total - steps) / rate,
                            sum / count,
                            best.getLast(),
                            best.getBest(),
                            best.getBestEpoch() + 1);
                    if (stop) {
                        result.stoppedEarly = true;
                        log.printf(
                                "early stop: validation NLL did not improve on %.4f (epoch %d) for %d epochs;"
                                        + " keeping that epoch's weights%n",
                                best.getBest(), best.getBestEpoch() + 1, config.patience);
                        break;
                    }
                }
            } catch (NonFiniteLossException e) {
                if (best.getBestEpoch() < 0) {
                    throw e; // no validated epoch to fall back on
                }
                result.stopped = e;
                log.printf(
                        "stopped in epoch %d: %s; keeping epoch %d's weights%n",
                        result.trainCurve.size() + 1, e.getMessage(), best.getBestEpoch() + 1);
            }
            best.restore(trainer);
        } catch (TranslateException e) {
            throw new IOException("training failed: " + e.getMessage(), e);
        } finally {
            best.close();
        }
        result.steps = steps;
        result.bestValidationNll = best.getBest();
        result.bestEpoch = best.getBestEpoch() + 1;
    }

    /**
     * The shuffled training batches. For a batch-norm flow a last batch with fewer than two rows
     * per worker is left out of each epoch (batch norm cannot train on one row, and each worker
     * normalises its own shard; shuffled, so different rows each epoch).
     *
     * @param data the training rows
     * @param config its batch size, and whether the flow has batch-norm layers
     * @param workers the data-parallel workers that split each batch
     * @return the dataset
     */
    static ArrayDataset batches(NDArray data, FlowConfig config, int workers) {
        int rows = Math.toIntExact(data.getShape().get(0));
        boolean dropLast =
                dropsLast(rows, Math.min(config.batchSize, rows), config.batchNorm, workers);
        return FlowDatasets.unlabeled(data, config.batchSize, true, dropLast);
    }

    /** Whether {@link #batches} leaves out the last, partial batch. */
    private static boolean dropsLast(int rows, int batch, boolean batchNorm, int workers) {
        int last = rows % batch;
        return batchNorm && last > 0 && last < 2 * workers && rows > batch;
    }

    /**
     * Throws when a column holds one value (in float32) over the training rows: it has no density,
     * and standardising it would divide by zero.
     */
    private static void requireVarying(CsvTable train) throws IOException {
        double[] first = train.row(0);
        boolean[] varies = new boolean[first.length];
        for (int i = 1; i < train.size(); i++) {
            double[] row = train.row(i);
            for (int j = 0; j < row.length; j++) {
                varies[j] |= (float) row[j] != (float) first[j];
            }
        }
        for (int j = 0; j < varies.length; j++) {
            if (!varies[j]) {
                throw new IOException(
                        String.format(
                                "%s: column %d ('%s') is constant (%s) over the %d training rows,"
                                        + " expected varying values: it has no density to fit;"
                                        + " leave it out with --columns",
                                train.source(),
                                j + 1,
                                train.columns().get(j),
                                first[j],
                                train.size()));
            }
        }
    }

    /** The config's schedule (fixed, cosine or warm-up + cosine) over this run's total steps. */
    private Tracker schedule(int totalSteps) {
        return LearningRateSchedule.builder()
                .setBaseRate((float) config.learningRate)
                .setTotalSteps(totalSteps)
                .optKind(LearningRateSchedule.Kind.fromConfigName(config.schedule))
                .optWarmupSteps(config.warmupSteps)
                .build()
                .toTracker();
    }

    private static int[] shuffled(int n, long seed) {
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        Collections.shuffle(list, new Random(seed));
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
