package io.github.djlflows.zoo.cli;

import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.train.ArtifactTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flows train}: trains a flow and writes an artifact directory (resumable). */
@Command(name = "train", description = "Train a flow; writes a model directory (<name>-0000.params, serving.properties, config.json, metrics.json).")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", description = "a config.json to start from (options below override it)")
    Path configFile;

    @Option(names = "--family", description = "realnvp, maf, nsf, glow, ...")
    String family;

    @Option(names = "--dataset", description = "two-moons, eight-gaussians, checkerboard, pinwheel, two-spirals, digits, fashion-mnist")
    String dataset;

    @Option(names = "--steps", description = "training steps")
    Integer steps;

    @Option(names = "--layers", description = "number of flow layers")
    Integer layers;

    @Option(names = "--seed", description = "engine seed")
    Long seed;

    @Option(names = "--max-steps-this-run", description = "stop after this many steps (checkpointed); run again to resume")
    Integer maxStepsThisRun;

    @Option(names = "--threads", defaultValue = "1",
            description = "data-parallel worker threads, one core each (default 1: one thread)")
    int threads;

    @Option(names = "--out", required = true, description = "output directory (a checkpoint there is resumed)")
    Path out;

    @Override
    public Integer call() throws Exception {
        FlowConfig config = configFile != null ? FlowConfig.read(configFile) : new FlowConfig();
        if (family != null) {
            config.family = family;
        }
        if (dataset != null) {
            config.dataset = dataset;
        }
        if (steps != null) {
            config.steps = steps;
        }
        if (layers != null) {
            config.layers = layers;
        }
        if (seed != null) {
            config.seed = seed;
        }
        ArtifactTrainer trainer =
                new ArtifactTrainer(config, out).optCommand("./flows train --config config.json --out " + out);
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
