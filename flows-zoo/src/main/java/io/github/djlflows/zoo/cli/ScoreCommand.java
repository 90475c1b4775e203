package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.inference.ConcurrentFlowScorer;
import io.github.djlflows.zoo.translate.Rows;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flows score}: prints the log-density of each CSV row (anomaly scores). */
@Command(name = "score", description = "Print log p(x) in nats for each row of a CSV file.")
final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--artifact", description = "zoo artifact, e.g. realnvp/two-moons")
    String artifact;

    @Option(names = "--model", description = "a directory written by flows train")
    Path modelDir;

    @Option(names = "--input", required = true, description = "CSV, one flattened sample per row")
    Path input;

    @Option(names = "--threads", defaultValue = "1",
            description = "worker threads, one core each, splitting the rows (default 1)")
    int threads;

    @Override
    public Integer call() throws Exception {
        try (LoadedFlow loaded = LoadedFlow.open(artifact, modelDir);
                NDManager manager = NDManager.newBaseManager()) {
            Shape shape = loaded.config.shape();
            float[][] rows = CliArrays.readCsv(input, Math.toIntExact(shape.size()));
            NDArray x = Rows.toArray(manager, rows, shape);
            float[] logProb;
            if (threads > 1) {
                try (ConcurrentFlowScorer scorer =
                        ConcurrentFlowScorer.builder().setModel(loaded.model).optWorkers(threads).build()) {
                    logProb = scorer.logProb(x);
                }
            } else {
                logProb = loaded.flow.logProb(x).toFloatArray();
            }
            for (float v : logProb) {
                System.out.println(String.format(Locale.ROOT, "%.6f", v));
            }
        }
        return 0;
    }
}
