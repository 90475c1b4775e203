package io.github.djlflows.zoo.cli;

import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.train.ArtifactTrainer;
import io.github.djlflows.zoo.train.DivergedRunException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flows train}: trains a flow on a CSV file ({@code --input}) or a built-in dataset and
 * writes a model directory.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a flow on your CSV (--input) or a built-in dataset (--dataset) and write a model directory"
                    + " (<name>-0000.params, serving.properties, config.json, metrics.json).",
            "CSV input: columns standardised inside the model, a seeded validation split with early stopping"
                    + " (best weights kept), a test split for the summary, log-density quantiles for"
                    + " 'score --flag-below', and training-curve.png.",
            "--dataset digits and fashion-mnist start from the recipes of the zoo's maf/digits and"
                    + " glow/fashion-mnist (family, layers, batch size, rate, schedule, dequantization"
                    + " and held-out set differ from the defaults listed below; config.json records"
                    + " what ran).",
            "A run whose loss or validation NLL turns non-finite or diverges after a validation saves"
                    + " its best validated weights (metrics.json's 'stopped' says why) and exits 2."
        })
final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--input",
            description = "CSV file (.csv, .csv.gz, or - for stdin) of numeric rows")
    Path input;

    @Mixin CsvOptions csv = new CsvOptions();

    @Option(
            names = "--config",
            description = "a config.json to start from (options below override it)")
    Path configFile;

    @Option(
            names = "--dataset",
            description =
                    "built-in: two-moons, eight-gaussians, checkerboard, pinwheel, two-spirals, digits, fashion-mnist")
    String dataset;

    @Mixin TrainingOptions options = new TrainingOptions();

    @Option(
            names = "--max-steps-this-run",
            description =
                    "built-in datasets: stop after this many steps (checkpointed); run again to resume")
    Integer maxStepsThisRun;

    @Option(names = "--overwrite", description = "replace a model already in --out")
    boolean overwrite;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description =
                    "data-parallel worker threads, one core each, splitting every batch (default 1: one thread)")
    int threads;

    @Option(
            names = "--out",
            required = true,
            description = "output model directory (a checkpoint there is resumed)")
    Path out;

    @Override
    public Integer call() throws Exception {
        Counts.checkThreads(threads);
        if (input != null && dataset != null) {
            throw new IllegalArgumentException(
                    "give --input (your CSV) or --dataset (built-in), not both");
        }
        FlowConfig config;
        if (configFile != null) {
            config = FlowConfig.read(configFile);
            if (dataset != null) {
                config.dataset = dataset;
            }
        } else {
            // a built-in dataset's shape and splits (digits: 64 pixels; images: (1, 28, 28))
            config = dataset != null ? FlowConfig.forDataset(dataset) : new FlowConfig();
        }
        options.apply(config, input != null, configFile != null);
        OutputDirectory dir =
                input != null
                        ? OutputDirectory.prepare(out, overwrite, OutputDirectory.csvRunFiles(out))
                        : OutputDirectory.prepare(out, overwrite);
        try {
            if (input != null) {
                return new CsvTraining(config, csv, input, out, invocation()).run(threads);
            }
            return trainBuiltIn(config);
        } catch (DivergedRunException e) {
            throw e; // its best validated weights are saved in --out: keep them
        } catch (Exception | Error e) {
            dir.cleanUpAfterFailure();
            throw e;
        }
    }

    /** The command line as it was given, for the model's record (arguments with spaces quoted). */
    String invocation() {
        StringBuilder sb =
                new StringBuilder("./flows"); // the original arguments begin with "train"
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            sb.append(' ').append(arg.matches("[\\w./:=,+-]+") ? arg : "'" + arg + "'");
        }
        return sb.toString();
    }

    private int trainBuiltIn(FlowConfig config) throws Exception {
        ArtifactTrainer trainer = new ArtifactTrainer(config, out).optCommand(invocation());
        trainer.optWorkers(threads);
        if (maxStepsThisRun != null) {
            trainer.optMaxStepsThisRun(maxStepsThisRun);
        }
        FlowMetrics metrics = trainer.train();
        if (metrics == null) {
            return 0;
        }
        System.out.printf(
                "%s on %s: held-out %s = %.4f after %d steps (%.1f s)%nwritten to %s%n",
                config.family,
                config.dataset,
                metrics.metric,
                metrics.value,
                metrics.steps,
                metrics.wallSeconds,
                out.toAbsolutePath());
        return 0;
    }
}
