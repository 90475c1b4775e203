package io.github.djlflows.bench;

import ai.djl.inference.Predictor;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.spark.FlowModelSource;
import io.github.djlflows.spark.FlowScorer;
import io.github.djlflows.zoo.FlowsModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows per second scoring a zoo artifact with {@code FlowScorer} on {@code local[P]} against one
 * {@code Predictor} on one thread in a plain loop, on the same rows (generated block by block from
 * a seed on both sides, streamed, never cached), with the JVM's resident memory sampled during the
 * Spark run (in {@code local} mode the driver is the executor). Not a JMH benchmark: one timed run
 * per side after a warm-up. Run it with {@code run-spark.sh}.
 *
 * <p>Arguments: {@code artifact rows [partitions=2] [batch=1024]}.
 */
public final class SparkScoringBench {

    private static final int BLOCK = 4096;

    private SparkScoringBench() {}

    /**
     * Runs the comparison and prints one table row.
     *
     * @param args artifact, rows, partitions, batch size
     * @throws Exception if the model cannot be loaded or a job fails
     */
    public static void main(String[] args) throws Exception {
        String artifact = args[0];
        long rows = Long.parseLong(args[1]);
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
        if (BLOCK % batch != 0) {
            throw new IllegalArgumentException("batch must divide " + BLOCK + ", got " + batch);
        }
        String[] parts = artifact.split("/");
        boolean unit = parts[1].equals("digits"); // dequantised pixels live in [0, 1)
        int dim = Math.toIntExact(new FlowsModelZoo().find(artifact).config().shape().size());
        long warmRows = Math.min(rows, 50_000);

        SparkSession spark =
                SparkSession.builder()
                        .master("local[" + partitions + "]")
                        .appName("flows-spark-bench")
                        .config("spark.ui.enabled", "false")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .getOrCreate();
        FlowScorer scorer =
                new FlowScorer().setModel(FlowModelSource.zoo(artifact)).setBatchSize(batch);
        sparkSum(spark, scorer, warmRows, dim, unit, partitions);
        long rssBefore = rssKb();
        RssSampler sampler = new RssSampler();
        sampler.start();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        double sparkSum = sparkSum(spark, scorer, rows, dim, unit, partitions);
        double sparkSeconds = (System.nanoTime() - t0) / 1e9;
        double sparkCpu = (cpuNanos() - cpu0) / 1e9;
        sampler.halt();
        spark.stop();

        Criteria<float[][], float[]> criteria =
                Criteria.builder()
                        .setTypes(float[][].class, float[].class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId(parts[0])
                        .optFilter("dataset", parts[1])
                        .build();
        double loopSum;
        double loopSeconds;
        double loopCpu;
        try (ZooModel<float[][], float[]> model = criteria.loadModel();
                Predictor<float[][], float[]> predictor = model.newPredictor()) {
            JniUtils.setNumThreads(1);
            loop(predictor, warmRows, dim, unit, batch);
            long cpu1 = cpuNanos();
            long t1 = System.nanoTime();
            loopSum = loop(predictor, rows, dim, unit, batch);
            loopSeconds = (System.nanoTime() - t1) / 1e9;
            loopCpu = (cpuNanos() - cpu1) / 1e9;
        }
        double sparkRate = rows / sparkSeconds;
        double loopRate = rows / loopSeconds;
        System.out.printf(
                Locale.ROOT,
                "| %s | %d | %d | %.0f | %.0f | %.2fx | %.0f | %.0f | %d / %d / %d | %.1e |%n",
                artifact,
                rows,
                partitions,
                sparkRate,
                loopRate,
                sparkRate / loopRate,
                rows / sparkCpu,
                rows / loopCpu,
                rssBefore / 1024,
                sampler.max / 1024,
                sampler.last / 1024,
                Math.abs(sparkSum - loopSum) / Math.abs(loopSum));
        System.out.println("RSS samples (MB, every 0.5 s): " + sampler.trace());
    }

    /** Scores rows [0, n) with Spark: the sum of their log-densities. */
    private static double sparkSum(
            SparkSession spark, FlowScorer scorer, long n, int dim, boolean unit, int partitions) {
        StructType schema = new StructType();
        for (int j = 0; j < dim; j++) {
            schema = schema.add("x" + j, DataTypes.FloatType, false);
        }
        long blocks = (n + BLOCK - 1) / BLOCK;
        Dataset<Row> data =
                spark.range(0, blocks, 1, partitions)
                        .mapPartitions(new Generate(n, dim, unit), Encoders.row(schema));
        return scorer.transform(data).agg(functions.sum("log_prob")).first().getDouble(0);
    }

    /** Scores rows [0, n) with one predictor on this thread: the sum of their log-densities. */
    private static double loop(
            Predictor<float[][], float[]> predictor, long n, int dim, boolean unit, int batch)
            throws Exception {
        double sum = 0;
        for (long b = 0; b * BLOCK < n; b++) {
            float[] block = block(b, (int) Math.min(BLOCK, n - b * BLOCK), dim, unit);
            int blockRows = block.length / dim;
            for (int start = 0; start < blockRows; start += batch) {
                int count = Math.min(batch, blockRows - start);
                float[][] rows = new float[count][dim];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(block, (start + i) * dim, rows[i], 0, dim);
                }
                for (float v : predictor.predict(rows)) {
                    sum += v;
                }
            }
        }
        return sum;
    }

    /** Block {@code index} of the data: a pure function of its index. */
    static float[] block(long index, int count, int dim, boolean unit) {
        SplittableRandom random = new SplittableRandom(0x5DEECE66DL * (index + 1));
        float[] values = new float[count * dim];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (unit ? random.nextDouble() : 1.5 * random.nextGaussian());
        }
        return values;
    }

    /** Spark's side of the data: one row per sample of each block of the partition. */
    static final class Generate implements MapPartitionsFunction<Long, Row> {

        private static final long serialVersionUID = 1L;

        private final long rows;
        private final int dim;
        private final boolean unit;

        Generate(long rows, int dim, boolean unit) {
            this.rows = rows;
            this.dim = dim;
            this.unit = unit;
        }

        @Override
        public Iterator<Row> call(Iterator<Long> blocks) {
            return new Iterator<>() {
                private float[] block = new float[0];
                private int next;

                @Override
                public boolean hasNext() {
                    if (next * dim < block.length) {
                        return true;
                    }
                    if (!blocks.hasNext()) {
                        return false;
                    }
                    long b = blocks.next();
                    block = block(b, (int) Math.min(BLOCK, rows - b * BLOCK), dim, unit);
                    next = 0;
                    return true;
                }

                @Override
                public Row next() {
                    hasNext();
                    Object[] values = new Object[dim];
                    for (int j = 0; j < dim; j++) {
                        values[j] = block[next * dim + j];
                    }
                    next++;
                    return RowFactory.create(values);
                }
            };
        }
    }

    /** CPU time of this process (all threads), in nanoseconds. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** This JVM's resident set size in kB, from /proc/self/status (0 elsewhere). */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Samples the RSS every half second until halted. */
    private static final class RssSampler extends Thread {

        private final List<Long> samples = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running = true;
        private volatile long max;
        private volatile long last;

        RssSampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                last = rssKb();
                max = Math.max(max, last);
                samples.add(last / 1024);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void halt() throws InterruptedException {
            running = false;
            join();
            last = rssKb();
            max = Math.max(max, last);
        }

        String trace() {
            synchronized (samples) {
                return samples.toString();
            }
        }
    }
}
