package io.github.djlflows.spark;

import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition, a batch at a time: reads up to {@code batchSize} rows, runs them through
 * the task's predictor, and hands the rows back with their log-density (and anomaly flag) appended.
 * Never holds more than one batch.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final FlowModelSource source;
    private final int[] columns;
    private final String[] columnNames;
    private final int arrayColumn;
    private final int dimension;
    private final int batchSize;
    private final int threads;
    private final Double threshold;

    /**
     * Creates the function.
     *
     * @param source the model
     * @param columns indices of the numeric input columns, or null when one array column holds a
     *     row
     * @param columnNames names of the input columns, for errors
     * @param arrayColumn index of the array column, or -1
     * @param dimension the model's values per row
     * @param batchSize rows per predictor call
     * @param threads intra-op threads per task
     * @param threshold log-density below which a row is an anomaly, or null for no anomaly column
     */
    ScorePartition(
            FlowModelSource source,
            int[] columns,
            String[] columnNames,
            int arrayColumn,
            int dimension,
            int batchSize,
            int threads,
            Double threshold) {
        this.source = source;
        this.columns = columns;
        this.columnNames = columnNames;
        this.arrayColumn = arrayColumn;
        this.dimension = dimension;
        this.batchSize = batchSize;
        this.threads = threads;
        this.threshold = threshold;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        if (!input.hasNext()) {
            return input;
        }
        LoadedFlowModel model = ExecutorModels.get(source);
        TaskPredictor<float[], double[]> predictor =
                TaskPredictor.open(
                        model.scoringModel(), new RowsTranslator(model.eventShape()), threads);
        return new Batches(input, predictor);
    }

    /** Fills {@code flat[offset, offset + dimension)} with one row's values. */
    private void values(Row row, float[] flat, int offset) {
        if (arrayColumn >= 0) {
            if (row.isNullAt(arrayColumn)) {
                throw new IllegalArgumentException(
                        "input column '"
                                + columnNames[0]
                                + "' is null in a row; nulls cannot be scored");
            }
            List<Object> list = row.getList(arrayColumn);
            if (list.size() != dimension) {
                throw new IllegalArgumentException(
                        "input column '"
                                + columnNames[0]
                                + "' holds an array of "
                                + list.size()
                                + " values, expected "
                                + dimension
                                + " (the model's dimension)");
            }
            for (int j = 0; j < dimension; j++) {
                Object v = list.get(j);
                if (v == null) {
                    throw new IllegalArgumentException(
                            "input column '"
                                    + columnNames[0]
                                    + "' has a null element; nulls cannot be scored");
                }
                flat[offset + j] = ((Number) v).floatValue();
            }
            return;
        }
        for (int j = 0; j < dimension; j++) {
            if (row.isNullAt(columns[j])) {
                throw new IllegalArgumentException(
                        "input column '"
                                + columnNames[j]
                                + "' is null in a row; nulls cannot be scored");
            }
            flat[offset + j] = ((Number) row.get(columns[j])).floatValue();
        }
    }

    private Row withScore(Row row, double logProb) {
        int n = row.size();
        Object[] values = new Object[n + (threshold == null ? 1 : 2)];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        values[n] = logProb;
        if (threshold != null) {
            values[n + 1] = !(logProb >= threshold); // NaN and -inf are anomalies too
        }
        return RowFactory.create(values);
    }

    /** The scored rows of a partition, computed one batch at a time. */
    private final class Batches implements Iterator<Row> {

        private final Iterator<Row> input;
        private final TaskPredictor<float[], double[]> predictor;
        private final List<Row> batch = new ArrayList<>();
        private double[] scores;
        private int next;

        Batches(Iterator<Row> input, TaskPredictor<float[], double[]> predictor) {
            this.input = input;
            this.predictor = predictor;
        }

        @Override
        public boolean hasNext() {
            if (next < batch.size()) {
                return true;
            }
            if (!input.hasNext()) {
                if (!predictor.closedByTask()) {
                    predictor.close();
                }
                return false;
            }
            fill();
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = batch.get(next);
            return withScore(row, scores[next++]);
        }

        private void fill() {
            batch.clear();
            next = 0;
            while (batch.size() < batchSize && input.hasNext()) {
                batch.add(input.next());
            }
            float[] flat = new float[batch.size() * dimension];
            for (int i = 0; i < batch.size(); i++) {
                values(batch.get(i), flat, i * dimension);
            }
            try {
                scores = predictor.predict(flat);
            } catch (TranslateException e) {
                throw new IllegalStateException(
                        "scoring a batch of " + batch.size() + " rows failed: " + e, e);
            }
        }
    }
}
