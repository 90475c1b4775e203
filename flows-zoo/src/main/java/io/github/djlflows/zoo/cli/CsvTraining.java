package io.github.djlflows.zoo.cli;

import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.csv.CsvTable;
import io.github.djlflows.zoo.plot.Charts;
import io.github.djlflows.zoo.train.DivergedRunException;
import io.github.djlflows.zoo.train.LogDensityQuantiles;
import io.github.djlflows.zoo.train.TabularTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The CSV path of {@code flows train}: read, train with validation, write the model directory. */
final class CsvTraining {

    private final FlowConfig config;
    private final CsvOptions csv;
    private final Path input;
    private final Path out;
    private final String command;

    CsvTraining(FlowConfig config, CsvOptions csv, Path input, Path out, String command) {
        this.config = config;
        this.csv = csv;
        this.input = input;
        this.out = out;
        this.command = command;
    }

    int run(int workers) throws IOException {
        long start = System.nanoTime();
        CsvTable table = csv.reader().read(input);
        table.requireRows();
        table.requireNumbers("training", false);
        table.requireDistinctColumns();
        config.input = input.toString();
        config.dataset = input.getFileName().toString();
        System.err.printf(
                "%s: %d rows x %d columns %s; %s, %s%n",
                input,
                table.size(),
                table.width(),
                table.columns(),
                config.family,
                config.standardize ? "standardised inside the model" : "not standardised");
        try (TabularTrainer.Result r =
                new TabularTrainer(config, table, out, System.err).optWorkers(workers).train()) {
            Files.createDirectories(out);
            FlowMetrics metrics = new FlowMetrics();
            metrics.metric = "nll_nats";
            metrics.value = r.testNll;
            metrics.heldOut =
                    String.format(
                            Locale.ROOT,
                            "test split: %d of %d rows of %s (fraction %s, split seed %d); validation %d rows, best %.4f at epoch %d",
                            r.testRows,
                            table.size(),
                            input.getFileName(),
                            config.testFraction,
                            config.trainSeed,
                            r.validationRows,
                            r.bestValidationNll,
                            r.bestEpoch);
            metrics.steps = r.steps;
            metrics.stopped = r.stopped == null ? null : r.stopped.getMessage();
            metrics.workers = r.workers;
            metrics.threads = r.threads;
            metrics.recipe = r.recipe;
            metrics.wallSeconds = Math.round((System.nanoTime() - start) / 1e7) / 100.0;
            metrics.command = command;
            metrics.machine =
                    Runtime.getRuntime().availableProcessors()
                            + " CPU cores, "
                            + System.getProperty("os.arch");
            io.github.djlflows.zoo.ModelDirectory.save(r.model, config, metrics, out);
            LogDensityQuantiles.of(r.trainLogDensities).write(out);
            writeLog(r, out.resolve("training-log.csv"));
            Charts.trainingCurve(
                    r.trainCurve,
                    r.validationCurve,
                    r.bestEpoch,
                    config.family + " on " + config.dataset,
                    out.resolve("training-curve.png"));
            System.out.printf(
                    Locale.ROOT,
                    "%s on %s: test NLL %.4f nats per row (%d held-out rows; density in the units of columns %s)%n"
                            + "best validation NLL %.4f at epoch %d of %d%s; %d steps, %.1f s%nwritten to %s%n",
                    config.family,
                    config.dataset,
                    r.testNll,
                    r.testRows,
                    String.join(", ", config.columns),
                    r.bestValidationNll,
                    r.bestEpoch,
                    r.trainCurve.size(),
                    r.stoppedEarly ? " (stopped early)" : "",
                    r.steps,
                    metrics.wallSeconds,
                    out.toAbsolutePath());
            if (r.stopped != null) {
                throw new DivergedRunException(
                        r.stopped,
                        String.format(
                                Locale.ROOT,
                                "epoch %d, validation NLL %.4f nats",
                                r.bestEpoch,
                                r.bestValidationNll),
                        out);
            }
        }
        return 0;
    }

    private static void writeLog(TabularTrainer.Result r, Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("epoch,train_nll,validation_nll");
            for (int i = 0; i < r.trainCurve.size(); i++) {
                w.printf(
                        Locale.ROOT,
                        "%d,%.6f,%.6f%n",
                        i + 1,
                        r.trainCurve.get(i),
                        r.validationCurve.get(i));
            }
        }
    }
}
