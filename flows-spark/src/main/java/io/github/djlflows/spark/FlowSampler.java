package io.github.djlflows.spark;

import ai.djl.util.Preconditions;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Draws samples of a normalizing flow on Spark as a table with the model's column names (its
 * config's {@code columns}, else {@code x0, x1, ...}; one {@code float} column per flattened value
 * of a sample).
 *
 * <p>The rows are cut into chunks of {@link Builder#optChunkSize} rows; chunk {@code c} is a pure
 * function of {@code (seed, c)}: its base draws come from a Java generator seeded by {@link
 * #chunkSeed}, never from the engine's shared generator, and one predictor call decodes the whole
 * chunk. So the table is the same, row for row and in order, for any number of partitions, after a
 * retried task and across runs (on the same natives and kind of CPU); changing the chunk size or
 * the seed changes it.
 *
 * <pre>{@code
 * FlowSampler sampler = FlowSampler.builder()
 *         .setModel(FlowModelSource.zoo("maf/two-moons"))
 *         .optSeed(7)
 *         .build();
 * Dataset<Row> synthetic = sampler.sample(spark, 1_000_000, 8); // columns x0, x1 (the zoo's models name none)
 * }</pre>
 */
public final class FlowSampler {

    private final FlowModelSource source;
    private final long seed;
    private final int chunkSize;
    private final double temperature;
    private final int threadsPerTask;

    private FlowSampler(Builder builder) {
        source = builder.source;
        seed = builder.seed;
        chunkSize = builder.chunkSize;
        temperature = builder.temperature;
        threadsPerTask = builder.threadsPerTask;
    }

    /**
     * A builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Draws {@code rows} samples in {@code partitions} partitions. The driver loads the model once
     * (for the column names); the executors load it once per JVM.
     *
     * @param spark the session
     * @param rows the number of samples, positive
     * @param partitions the number of partitions, positive
     * @return the samples, one row each, in chunk order
     */
    public Dataset<Row> sample(SparkSession spark, long rows, int partitions) {
        Preconditions.checkArgument(rows > 0, "rows must be positive, got " + rows);
        Preconditions.checkArgument(
                partitions > 0, "partitions must be positive, got " + partitions);
        List<String> columns = ExecutorModels.get(source).columns();
        StructType schema = new StructType();
        for (String column : columns) {
            schema = schema.add(column, DataTypes.FloatType, false);
        }
        long chunks = (rows + chunkSize - 1) / chunkSize;
        SamplePartition draw =
                new SamplePartition(source, rows, chunkSize, seed, temperature, threadsPerTask);
        return spark.range(0, chunks, 1, partitions).mapPartitions(draw, Encoders.row(schema));
    }

    /**
     * The seed of chunk {@code chunk}: SplitMix64's finalizer over {@code seed} and the chunk index
     * (distinct chunks get unrelated streams).
     *
     * @param seed the sampler's seed
     * @param chunk the chunk index
     * @return the chunk's seed
     */
    public static long chunkSeed(long seed, long chunk) {
        return mix(mix(seed) + chunk * 0x9E3779B97F4A7C15L);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Returns the model's column names, loading it in this JVM if needed.
     *
     * @return one name per flattened value of a sample
     */
    public List<String> columns() {
        return ExecutorModels.get(source).columns();
    }

    /** Builds a {@link FlowSampler}. */
    public static final class Builder {

        private FlowModelSource source;
        private long seed;
        private int chunkSize = 4096;
        private double temperature = 1.0;
        private int threadsPerTask = 1;

        private Builder() {}

        /**
         * Sets the model (required).
         *
         * @param source the model's source
         * @return this builder
         */
        public Builder setModel(FlowModelSource source) {
            this.source = source;
            return this;
        }

        /**
         * Sets the seed. Defaults to 0.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the rows per chunk, the unit of work and of randomness. Defaults to 4096.
         *
         * @param rows the chunk size, positive
         * @return this builder
         */
        public Builder optChunkSize(int rows) {
            this.chunkSize = rows;
            return this;
        }

        /**
         * Sets the temperature that scales the base draws. Defaults to 1.
         *
         * @param temperature the temperature, positive
         * @return this builder
         */
        public Builder optTemperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /**
         * Sets PyTorch's intra-op threads for each task's thread. Defaults to 1.
         *
         * @param threads the thread count, positive
         * @return this builder
         */
        public Builder optThreadsPerTask(int threads) {
            this.threadsPerTask = threads;
            return this;
        }

        /**
         * Builds the sampler.
         *
         * @return the sampler
         * @throws IllegalArgumentException if the model is missing or a value is out of range
         */
        public FlowSampler build() {
            Preconditions.checkArgument(source != null, "FlowSampler needs a model: call setModel");
            Preconditions.checkArgument(
                    chunkSize > 0, "chunk size must be positive, got " + chunkSize);
            Preconditions.checkArgument(
                    temperature > 0 && Double.isFinite(temperature),
                    "temperature must be positive and finite, got " + temperature);
            Preconditions.checkArgument(
                    threadsPerTask > 0, "threads per task must be positive, got " + threadsPerTask);
            return new FlowSampler(this);
        }
    }
}
