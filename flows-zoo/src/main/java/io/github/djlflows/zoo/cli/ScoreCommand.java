package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.inference.ConcurrentFlowScorer;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.csv.CsvTable;
import io.github.djlflows.zoo.train.LogDensityQuantiles;
import io.github.djlflows.zoo.translate.Rows;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flows score}: the log-density of each CSV row, optionally flagging anomalies. */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Write log p(x) in nats for each row of a CSV as CSV (row,log_density[,anomaly]).",
            "Rows with a header are matched to the model's training columns by name (other columns"
                    + " are not read). A row with an infinite or float32-overflowing value scores"
                    + " -Infinity."
        })
class ScoreCommand implements Callable<Integer> {

    private static final int CHUNK = 4096;

    @Option(names = "--artifact", description = "zoo artifact, e.g. realnvp/two-moons")
    String artifact;

    @Option(names = "--model", description = "a directory written by flows train")
    Path modelDir;

    @Option(
            names = "--input",
            defaultValue = "-",
            description = "CSV file (.csv, .csv.gz) or - for stdin (default)")
    Path input;

    @Mixin CsvOptions csv = new CsvOptions();

    @Option(
            names = "--out",
            defaultValue = "-",
            description = "CSV output file, or - for stdout (default)")
    Path out;

    @Option(
            names = "--flag-below",
            description =
                    "add an 'anomaly' column: true when log p is below this quantile (e.g. 0.01) of the"
                            + " training rows' log-densities (a model trained from a CSV) or of its"
                            + " held-out rows' (a zoo artifact or a model of a built-in dataset)")
    Double flagBelow;

    @Option(
            names = "--threads",
            defaultValue = "1",
            description = "worker threads, one core each, splitting the rows (default 1)")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (flagBelow != null && !(flagBelow > 0 && flagBelow < 1)) {
            throw new IllegalArgumentException(
                    "--flag-below must be a quantile level in (0, 1), got " + flagBelow);
        }
        Counts.checkThreads(threads);
        Outputs.checkNotInput(out, input, "--input");
        try (LoadedFlow loaded = LoadedFlow.open(artifact, modelDir);
                NDManager manager = NDManager.newBaseManager()) {
            Double threshold = null;
            if (flagBelow != null) {
                threshold = quantiles(loaded).threshold(flagBelow);
            }
            Shape shape = loaded.config.shape();
            CsvTable table = loaded.readRows(csv, input);
            table.requireNumbers("scoring", true);
            int levels = Rows.levelsOf(loaded.flow);
            if (levels > 0) {
                // as the Java translator: a model of discrete data has no density beyond its levels
                table.requireWithin(
                        0, levels - 1, Rows.levelsNoun(levels) + " (this model dequantises them)");
            } else if ("digits".equals(loaded.config.dataset)) {
                requireUniformDigitUnits(table);
            }
            float[] logp;
            if (threads > 1) {
                try (ConcurrentFlowScorer scorer =
                        ConcurrentFlowScorer.builder()
                                .setModel(loaded.model)
                                .optWorkers(threads)
                                .build()) {
                    logp = score(loaded, scorer, manager, table, shape);
                }
            } else {
                logp = score(loaded, null, manager, table, shape);
            }
            try (PrintWriter w = Outputs.writer(out)) {
                w.println(threshold == null ? "row,log_density" : "row,log_density,anomaly");
                for (int i = 0; i < logp.length; i++) {
                    String line = i + "," + String.format(Locale.ROOT, "%.6f", logp[i]);
                    if (threshold != null) {
                        line += "," + (logp[i] < threshold || Float.isNaN(logp[i]));
                    }
                    w.println(line);
                }
            }
            if (!Outputs.isStdout(out)) {
                System.err.println("scored " + logp.length + " rows into " + out.toAbsolutePath());
            }
        }
        return 0;
    }

    /**
     * Scores in chunks, through the worker pool when there is one; rows at infinity get -Infinity.
     */
    private static float[] score(
            LoadedFlow loaded,
            ConcurrentFlowScorer scorer,
            NDManager manager,
            CsvTable table,
            Shape shape) {
        float[][] rows = table.floatRows();
        float[] out = new float[rows.length];
        for (int start = 0; start < rows.length; start += CHUNK) {
            int end = Math.min(rows.length, start + CHUNK);
            float[][] chunk = Arrays.copyOfRange(rows, start, end);
            boolean[] infinite = new boolean[chunk.length];
            for (int i = 0; i < chunk.length; i++) {
                infinite[i] = table.atInfinity(start + i);
                if (infinite[i]) {
                    chunk[i] = new float[chunk[i].length];
                }
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = Rows.toArray(sub, chunk, shape);
                float[] logp =
                        scorer != null ? scorer.logProb(x) : loaded.flow.logProb(x).toFloatArray();
                for (int i = 0; i < logp.length; i++) {
                    out[start + i] = infinite[i] ? Float.NEGATIVE_INFINITY : logp[i];
                }
            }
        }
        return out;
    }

    /** The quantiles a threshold is read from ({@link LogDensityQuantiles#storedOrHeldOut}). */
    private static LogDensityQuantiles quantiles(LoadedFlow loaded) throws IOException {
        LogDensityQuantiles q =
                LogDensityQuantiles.storedOrHeldOut(loaded.dir, loaded.flow, loaded.config);
        if (q == null && loaded.dir != null) {
            return LogDensityQuantiles.read(loaded.dir); // throws, naming the missing file
        }
        if (q == null) {
            throw new IOException(
                    "--flag-below needs stored training log-density quantiles or a model of a"
                            + " built-in dataset; this model has neither");
        }
        if (q.isHeldOut()) {
            System.err.println(
                    "flagging against the quantiles of the held-out rows: "
                            + FlowData.describeHeldOut(loaded.config));
        }
        return q;
    }

    /**
     * A digits model trained with uniform dequantization takes x = (v + u) / 17 in [0, 1) (one with
     * variational dequantization takes the levels, checked as discrete data): levels given to it
     * would score about -1e10 without a word, so a value of 2 or more is refused.
     */
    private static void requireUniformDigitUnits(CsvTable table) throws IOException {
        int top = FlowData.DIGIT_LEVELS - 1;
        table.requireWithin(
                Double.NEGATIVE_INFINITY,
                2,
                "x = (v + u) / "
                        + FlowData.DIGIT_LEVELS
                        + " of levels v (this model was trained on uniformly dequantized digits:"
                        + " divide the levels 0.."
                        + top
                        + " by "
                        + FlowData.DIGIT_LEVELS
                        + ")");
    }
}
