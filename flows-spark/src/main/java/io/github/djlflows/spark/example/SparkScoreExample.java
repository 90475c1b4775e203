package io.github.djlflows.spark.example;

import io.github.djlflows.spark.FlowModelSource;
import io.github.djlflows.spark.FlowSampler;
import io.github.djlflows.spark.FlowScorer;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scores a table with a flow on Spark, ready for {@code spark-submit} (or {@code ./flows
 * spark-score}, which runs it in-process on {@code local[2]}): reads Parquet or CSV (with a
 * header), or draws {@code --rows} synthetic rows from the model itself, appends {@code log_prob}
 * (and {@code anomaly} with {@code --threshold} or {@code --flag-below}), writes Parquet with
 * {@code --output}, and prints the row count, mean log-density, anomaly count and rows/s.
 *
 * <pre>{@code
 * spark-submit --class io.github.djlflows.spark.example.SparkScoreExample app.jar \
 *     --artifact maf/two-moons --rows 1000000 --threshold -4
 * }</pre>
 */
@Command(
        name = "spark-score",
        mixinStandardHelpOptions = true,
        description = "Score a table (or the model's own samples) with a flow on Spark.")
public final class SparkScoreExample implements Callable<Integer> {

    @Option(names = "--artifact", description = "zoo artifact, e.g. maf/two-moons")
    String artifact;

    @Option(
            names = "--model",
            description = "model directory: path or URL (file://, hdfs://, s3a://)")
    String model;

    @Option(
            names = "--input",
            description = "Parquet or CSV (header) to score; default: sample --rows rows")
    String input;

    @Option(names = "--columns", split = ",", description = "input columns (default: the model's)")
    String[] columns;

    @Option(
            names = "--rows",
            defaultValue = "1000000",
            description = "rows to sample when there is no --input")
    long rows;

    @Option(
            names = "--partitions",
            defaultValue = "0",
            description = "partitions (0: Spark's default parallelism)")
    int partitions;

    @Option(names = "--batch-size", defaultValue = "1024", description = "rows per predictor call")
    int batchSize;

    @Option(names = "--threshold", description = "flag rows with log p(x) below this (nats)")
    Double threshold;

    @Option(
            names = "--flag-below",
            description =
                    "flag rows whose log p(x) is below this quantile level (e.g. 0.01) of the"
                            + " training rows' log-densities (a model trained from a CSV) or of its"
                            + " held-out rows' (a zoo artifact or a model of a built-in dataset)")
    Double flagBelow;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the sampled rows")
    long seed;

    @Option(names = "--output", description = "write the scored table here as Parquet")
    String output;

    /**
     * Runs the example.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkScoreExample()).execute(args));
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        if ((artifact == null) == (model == null)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "give exactly one of --artifact or --model");
        }
        if (threshold != null && flagBelow != null) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this), "give at most one of --threshold or --flag-below");
        }
        FlowModelSource source =
                artifact != null ? FlowModelSource.zoo(artifact) : FlowModelSource.location(model);
        SparkSession spark = session();
        try {
            int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
            Dataset<Row> table;
            if (input == null) {
                table =
                        FlowSampler.builder()
                                .setModel(source)
                                .optSeed(seed)
                                .build()
                                .sample(spark, rows, parts);
            } else if (input.endsWith(".csv") || input.endsWith(".csv.gz")) {
                table =
                        spark.read()
                                .option("header", "true")
                                .option("inferSchema", "true")
                                .csv(input);
            } else {
                table = spark.read().parquet(input);
            }
            FlowScorer scorer = new FlowScorer().setModel(source).setBatchSize(batchSize);
            if (columns != null) {
                scorer.setInputCols(columns);
            }
            if (threshold != null) {
                scorer.setAnomalyThreshold(threshold);
            }
            if (flagBelow != null) {
                scorer.setFlagBelowQuantile(flagBelow);
            }
            boolean flags = threshold != null || flagBelow != null;
            long start = System.nanoTime();
            Dataset<Row> scored = scorer.transform(table);
            Row summary;
            if (output != null) {
                scored.write().mode(SaveMode.Overwrite).parquet(output);
                summary = summarize(spark.read().parquet(output), flags);
            } else {
                summary = summarize(scored, flags);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long n = summary.getLong(0);
            System.out.printf(
                    Locale.ROOT,
                    "rows %d, mean log p %.4f nats, anomalies %s, %.1f s, %.0f rows/s%s%n",
                    n,
                    summary.isNullAt(1) ? Double.NaN : summary.getDouble(1),
                    flags ? Long.toString(summary.getLong(2)) : "-",
                    seconds,
                    n / seconds,
                    output == null ? "" : ", written to " + output);
            return 0;
        } finally {
            spark.stop();
        }
    }

    private static Row summarize(Dataset<Row> scored, boolean anomalies) {
        if (anomalies) {
            return scored.agg(
                            functions.count(functions.lit(1)),
                            functions.avg("log_prob"),
                            functions.sum(functions.col("anomaly").cast("long")))
                    .first();
        }
        return scored.agg(functions.count(functions.lit(1)), functions.avg("log_prob")).first();
    }

    /** spark-submit's session, or local[2] (no UI, loopback) when run as a plain Java program. */
    private static SparkSession session() {
        SparkConf conf = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder().appName("flows spark-score");
        if (!conf.contains("spark.master")) {
            builder.master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1");
        }
        return builder.getOrCreate();
    }
}
