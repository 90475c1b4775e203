package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.inference.ConcurrentFlowScorer;
import io.github.djlflows.zoo.plot.Plots;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flows sample}: draws samples as CSV (vectors) or a PNG grid (images). */
@Command(name = "sample", description = "Draw samples: CSV rows for vectors, a PNG grid for images.")
final class SampleCommand implements Callable<Integer> {

    @Option(names = "--artifact", description = "zoo artifact, e.g. realnvp/two-moons")
    String artifact;

    @Option(names = "--model", description = "a directory written by flows train")
    Path modelDir;

    @Option(names = {"-n", "--count"}, defaultValue = "16", description = "number of samples")
    int count;

    @Option(names = "--temperature", defaultValue = "1.0", description = "base temperature")
    double temperature;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed")
    long seed;

    @Option(names = "--out", required = true, description = "output file (.csv or .png)")
    Path out;

    @Option(names = "--threads", defaultValue = "1",
            description = "worker threads, one core each, splitting the rows (default 1)")
    int threads;

    @Override
    public Integer call() throws Exception {
        try (LoadedFlow loaded = LoadedFlow.open(artifact, modelDir);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray samples;
            if (threads > 1) {
                try (ConcurrentFlowScorer scorer =
                        ConcurrentFlowScorer.builder().setModel(loaded.model).optWorkers(threads).build()) {
                    samples = scorer.sample(manager, count, temperature, seed);
                }
            } else {
                samples = loaded.flow.sample(manager, count, temperature, seed);
            }
            if (out.toString().endsWith(".png")) {
                float[][] rows = CliArrays.pixelRows(samples);
                Plots.imageGrid(rows, loaded.config.shape(), 8, 3, out);
            } else {
                try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
                    for (float[] row : CliArrays.rows(samples)) {
                        w.println(CliArrays.csv(row));
                    }
                }
            }
            System.out.println("wrote " + count + " samples to " + out.toAbsolutePath());
        }
        return 0;
    }
}
