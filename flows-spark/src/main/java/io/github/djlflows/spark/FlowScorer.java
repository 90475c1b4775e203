package io.github.djlflows.spark;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a table with a normalizing flow on Spark: appends the log-density {@code log p(x)} of each
 * row (a double, in nats, in the data's units) and, given a threshold or a quantile level of the
 * training log-densities, an anomaly flag. A Spark ML {@code Transformer}, so it fits in a {@code
 * Pipeline} and saves with it.
 *
 * <p>Input: the numeric columns named by {@link #setInputCols} (one per flattened value of a
 * sample, in the model's order), or one {@code array<float>} / {@code array<double>} column named
 * by {@link #setInputCol}; by default the model's own column names (its config's, else {@code x0,
 * x1, ...}, as {@link FlowSampler} writes them). Null values are an error.
 *
 * <p>Executors: each JVM loads the model once, on first use (only its {@link FlowModelSource}
 * travels with the job); each task opens one {@code Predictor}, sets its thread's PyTorch intra-op
 * threads, streams its partition in batches of {@link #setBatchSize} rows and closes the predictor
 * when the task completes. A row's score does not depend on its partition or batch mates.
 *
 * <pre>{@code
 * FlowScorer scorer = new FlowScorer()
 *         .setModel(FlowModelSource.zoo("maf/two-moons"))
 *         .setInputCols(new String[] {"x", "y"})
 *         .setAnomalyThreshold(-6.0);
 * Dataset<Row> scored = scorer.transform(table); // + log_prob (double), anomaly (boolean)
 * }</pre>
 */
public class FlowScorer extends Transformer implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> modelArtifact;
    private final Param<String> modelLocation;
    private final StringArrayParam inputCols;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> anomalyCol;
    private final DoubleParam anomalyThreshold;
    private final DoubleParam flagBelowQuantile;
    private final IntParam batchSize;
    private final IntParam threadsPerTask;

    /** Creates a scorer with a random uid. */
    public FlowScorer() {
        this(Identifiable.randomUID("flowScorer"));
    }

    /**
     * Creates a scorer with the given uid (Spark ML's copy and load use this).
     *
     * @param uid the uid
     */
    public FlowScorer(String uid) {
        this.uid = uid;
        modelArtifact = new Param<>(this, "modelArtifact", "zoo artifact artifactId/dataset");
        modelLocation = new Param<>(this, "modelLocation", "model directory: path or URL");
        inputCols =
                new StringArrayParam(
                        this, "inputCols", "numeric input columns, in the model's order");
        inputCol = new Param<>(this, "inputCol", "one array<float> or array<double> input column");
        outputCol = new Param<>(this, "outputCol", "output column of log-densities (double, nats)");
        anomalyCol = new Param<>(this, "anomalyCol", "output column of anomaly flags (boolean)");
        anomalyThreshold =
                new DoubleParam(
                        this, "anomalyThreshold", "log-density below which a row is an anomaly");
        flagBelowQuantile =
                new DoubleParam(
                        this,
                        "flagBelowQuantile",
                        "training log-density quantile level below which a row is an anomaly",
                        ParamValidators.inRange(0, 1, false, false));
        batchSize =
                new IntParam(this, "batchSize", "rows per predictor call", ParamValidators.gt(0));
        threadsPerTask =
                new IntParam(
                        this,
                        "threadsPerTask",
                        "PyTorch intra-op threads per task",
                        ParamValidators.gt(0));
        setDefault(outputCol, "log_prob");
        setDefault(anomalyCol, "anomaly");
        setDefault(batchSize, 1024);
        setDefault(threadsPerTask, 1);
    }

    /** {@inheritDoc} */
    @Override
    public String uid() {
        return uid;
    }

    /**
     * Sets the model, replacing any set before.
     *
     * @param source the model's source
     * @return this scorer
     */
    public FlowScorer setModel(FlowModelSource source) {
        clear(modelArtifact);
        clear(modelLocation);
        if (source.getArtifact() != null) {
            set(modelArtifact, source.getArtifact());
        } else {
            set(modelLocation, source.getLocation());
        }
        return this;
    }

    /**
     * The model's source.
     *
     * @return the source
     * @throws IllegalArgumentException if no model is set
     */
    public FlowModelSource getModel() {
        if (isDefined(modelArtifact)) {
            return FlowModelSource.zoo(getOrDefault(modelArtifact));
        }
        if (isDefined(modelLocation)) {
            return FlowModelSource.location(getOrDefault(modelLocation));
        }
        throw new IllegalArgumentException(
                "FlowScorer has no model: call setModel(FlowModelSource)");
    }

    /**
     * Sets the numeric input columns, one per flattened value of a sample (clears {@code
     * inputCol}).
     *
     * @param columns the column names, in the model's order
     * @return this scorer
     */
    public FlowScorer setInputCols(String[] columns) {
        clear(inputCol);
        set(inputCols, columns);
        return this;
    }

    /**
     * Sets one array input column holding a flattened sample per row (clears {@code inputCols}).
     *
     * @param column the column name
     * @return this scorer
     */
    public FlowScorer setInputCol(String column) {
        clear(inputCols);
        set(inputCol, column);
        return this;
    }

    /**
     * Sets the output column of log-densities. Defaults to {@code log_prob}.
     *
     * @param column the column name
     * @return this scorer
     */
    public FlowScorer setOutputCol(String column) {
        set(outputCol, column);
        return this;
    }

    /**
     * Sets the anomaly column's name. Defaults to {@code anomaly}; the column appears only when a
     * threshold or a quantile level is set.
     *
     * @param column the column name
     * @return this scorer
     */
    public FlowScorer setAnomalyCol(String column) {
        set(anomalyCol, column);
        return this;
    }

    /**
     * Adds an anomaly column, true where {@code log p(x)} is below the threshold (or NaN). Not set
     * by default: no anomaly column.
     *
     * @param logDensity the threshold, in nats
     * @return this scorer
     */
    public FlowScorer setAnomalyThreshold(double logDensity) {
        clear(flagBelowQuantile);
        set(anomalyThreshold, logDensity);
        return this;
    }

    /**
     * Adds an anomaly column, true where {@code log p(x)} is below the model's log-density quantile
     * at level {@code q} (or NaN): {@code 0.01} flags rows as unlikely as the least likely 1% of
     * the training rows. A directory trained by {@code flows train} from a CSV stores those
     * quantiles ({@code log-density-quantiles.json}); a zoo artifact or a model of a built-in
     * dataset uses its held-out rows' instead, computed once on the driver as {@code flows score}
     * does. Replaces an explicit threshold.
     *
     * @param q the level, in (0, 1)
     * @return this scorer
     */
    public FlowScorer setFlagBelowQuantile(double q) {
        clear(anomalyThreshold);
        set(flagBelowQuantile, q);
        return this;
    }

    /**
     * Sets the rows per predictor call. Defaults to 1024.
     *
     * @param rows the batch size, positive
     * @return this scorer
     */
    public FlowScorer setBatchSize(int rows) {
        set(batchSize, rows);
        return this;
    }

    /**
     * Sets PyTorch's intra-op threads for each task's thread. Defaults to 1 (one task per core is
     * Spark's parallelism; small flows run fastest on one thread).
     *
     * @param threads the thread count, positive
     * @return this scorer
     */
    public FlowScorer setThreadsPerTask(int threads) {
        set(threadsPerTask, threads);
        return this;
    }

    /**
     * The model artifact parameter.
     *
     * @return the param
     */
    public Param<String> modelArtifact() {
        return modelArtifact;
    }

    /**
     * The model location parameter.
     *
     * @return the param
     */
    public Param<String> modelLocation() {
        return modelLocation;
    }

    /**
     * The numeric input columns parameter.
     *
     * @return the param
     */
    public StringArrayParam inputCols() {
        return inputCols;
    }

    /**
     * The array input column parameter.
     *
     * @return the param
     */
    public Param<String> inputCol() {
        return inputCol;
    }

    /**
     * The log-density column parameter.
     *
     * @return the param
     */
    public Param<String> outputCol() {
        return outputCol;
    }

    /**
     * The anomaly column parameter.
     *
     * @return the param
     */
    public Param<String> anomalyCol() {
        return anomalyCol;
    }

    /**
     * The anomaly threshold parameter.
     *
     * @return the param
     */
    public DoubleParam anomalyThreshold() {
        return anomalyThreshold;
    }

    /**
     * The anomaly quantile level parameter.
     *
     * @return the param
     */
    public DoubleParam flagBelowQuantile() {
        return flagBelowQuantile;
    }

    /**
     * The batch size parameter.
     *
     * @return the param
     */
    public IntParam batchSize() {
        return batchSize;
    }

    /**
     * The threads-per-task parameter.
     *
     * @return the param
     */
    public IntParam threadsPerTask() {
        return threadsPerTask;
    }

    /** {@inheritDoc} */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        StructType out = transformSchema(schema);
        LoadedFlowModel model = ExecutorModels.get(getModel());
        String[] names = ScoringColumns.inputNames(this, model);
        int arrayColumn = isDefined(inputCol) ? schema.fieldIndex(names[0]) : -1;
        int[] columns = isDefined(inputCol) ? null : ScoringColumns.indices(schema, names, model);
        Double threshold = null;
        if (isDefined(anomalyThreshold)) {
            threshold = (Double) getOrDefault(anomalyThreshold);
        } else if (isDefined(flagBelowQuantile)) {
            threshold =
                    ScoringColumns.quantileThreshold(
                            model, (Double) getOrDefault(flagBelowQuantile));
        }
        ScorePartition score =
                new ScorePartition(
                        getModel(),
                        columns,
                        names,
                        arrayColumn,
                        model.dimension(),
                        (Integer) getOrDefault(batchSize),
                        (Integer) getOrDefault(threadsPerTask),
                        threshold);
        return dataset.toDF().mapPartitions(score, Encoders.row(out));
    }

    /** {@inheritDoc} */
    @Override
    public StructType transformSchema(StructType schema) {
        getModel();
        boolean named = isDefined(inputCol) || isDefined(inputCols);
        String[] names =
                ScoringColumns.inputNames(this, named ? null : ExecutorModels.get(getModel()));
        ScoringColumns.checkInputs(schema, names, isDefined(inputCol));
        boolean anomaly = isDefined(anomalyThreshold) || isDefined(flagBelowQuantile);
        return ScoringColumns.outputSchema(
                schema, getOrDefault(outputCol), anomaly ? getOrDefault(anomalyCol) : null);
    }

    /** {@inheritDoc} */
    @Override
    public FlowScorer copy(ParamMap extra) {
        return (FlowScorer) defaultCopy(extra);
    }

    /**
     * A reader for scorers saved with {@code write().save(path)} or in a saved pipeline.
     *
     * @return the reader
     */
    public static MLReader<FlowScorer> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * Loads a scorer saved with {@code save(path)}.
     *
     * @param path the directory
     * @return the scorer
     */
    public static FlowScorer load(String path) {
        return read().load(path);
    }
}
