package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.inference.ConcurrentFlowScorer;
import io.github.djlflows.zoo.translate.Rows;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flows sample}: draws samples as CSV with a header, or a picture (.png). */
@Command(
        name = "sample",
        mixinStandardHelpOptions = true,
        description = {
            "Draw samples: CSV rows under a header of the training column names, in the data's units"
                    + " (a model of images or digits: its levels, rounded and clipped);"
                    + " with --out x.png a picture (image or digit grid, 2-D density with the samples, or a corner plot)."
        })
final class SampleCommand implements Callable<Integer> {

    @Option(names = "--artifact", description = "zoo artifact, e.g. realnvp/two-moons")
    String artifact;

    @Option(names = "--model", description = "a directory written by flows train")
    Path modelDir;

    @Option(
            names = {"-n", "--count"},
            defaultValue = "16",
            description = "number of samples (default 16)")
    long count;

    @Option(
            names = "--temperature",
            defaultValue = "1.0",
            description = "base temperature, finite and positive (default 1)")
    double temperature;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed")
    long seed;

    @Option(
            names = "--out",
            defaultValue = "-",
            description = "output: .csv file, .png picture, or - for stdout (default)")
    Path out;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "worker threads, one core each, splitting the rows (default 1)")
    int threads;

    @Override
    public Integer call() throws Exception {
        Counts.checkTemperature(temperature);
        Counts.checkThreads(threads);
        try (LoadedFlow loaded = LoadedFlow.open(artifact, modelDir);
                NDManager manager = NDManager.newBaseManager()) {
            Counts.checkSampleCount("-n", count, loaded.config.shape());
            NDArray samples;
            if (threads > 1) {
                try (ConcurrentFlowScorer scorer =
                        ConcurrentFlowScorer.builder()
                                .setModel(loaded.model)
                                .optWorkers(threads)
                                .build()) {
                    samples = scorer.sample(manager, count, temperature, seed);
                }
            } else {
                samples = loaded.flow.sample(manager, count, temperature, seed);
            }
            if (out.toString().endsWith(".png")) {
                double[][] rows =
                        loaded.config.shape().dimension() == 1
                                ? ModelPictures.toDoubles(CliArrays.rows(samples))
                                : null;
                ModelPictures.draw(
                        loaded,
                        manager,
                        null,
                        rows,
                        null,
                        (int) count,
                        temperature,
                        seed,
                        false,
                        out);
            } else {
                try (PrintWriter w = Outputs.writer(out)) {
                    w.println(
                            loaded.config.shape().dimension() == 1
                                    ? String.join(",", loaded.columnNames())
                                    : pixelHeader(loaded));
                    int levels = Rows.levelsOf(loaded.flow);
                    for (float[] row : CliArrays.rows(samples)) {
                        if (levels > 0) { // a model of discrete data: its levels, as its data
                            CliArrays.quantize(row, levels);
                        }
                        w.println(CliArrays.csv(row));
                    }
                }
            }
            if (!Outputs.isStdout(out)) {
                System.out.println("wrote " + count + " samples to " + out.toAbsolutePath());
            }
        }
        return 0;
    }

    private static String pixelHeader(LoadedFlow loaded) {
        long n = loaded.config.shape().size();
        StringBuilder sb = new StringBuilder();
        for (long i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("p").append(i);
        }
        return sb.toString();
    }
}
