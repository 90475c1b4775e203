package io.github.djlflows.spark;

import ai.djl.translate.TranslateException;
import io.github.djlflows.zoo.translate.SampleRequest;
import io.github.djlflows.zoo.translate.SeededSamplingTranslator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Draws the chunks of one partition, one chunk at a time: chunk {@code c} holds rows {@code [c *
 * chunkSize, min((c + 1) * chunkSize, rows))}, drawn from the seed {@link FlowSampler#chunkSeed}.
 */
final class SamplePartition implements MapPartitionsFunction<Long, Row> {

    private static final long serialVersionUID = 1L;

    private final FlowModelSource source;
    private final long rows;
    private final int chunkSize;
    private final long seed;
    private final double temperature;
    private final int threads;

    SamplePartition(
            FlowModelSource source,
            long rows,
            int chunkSize,
            long seed,
            double temperature,
            int threads) {
        this.source = source;
        this.rows = rows;
        this.chunkSize = chunkSize;
        this.seed = seed;
        this.temperature = temperature;
        this.threads = threads;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<Row> call(Iterator<Long> chunks) {
        if (!chunks.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        LoadedFlowModel model = ExecutorModels.get(source);
        TaskPredictor<SampleRequest, float[][]> predictor =
                TaskPredictor.open(
                        model.samplingModel(),
                        new SeededSamplingTranslator(Map.of("temperature", temperature)),
                        threads);
        return new Chunks(chunks, predictor, model.dimension());
    }

    /** The rows of a partition's chunks, drawn one chunk at a time. */
    private final class Chunks implements Iterator<Row> {

        private final Iterator<Long> chunks;
        private final TaskPredictor<SampleRequest, float[][]> predictor;
        private final int dimension;
        private float[][] values = new float[0][];
        private int next;

        Chunks(
                Iterator<Long> chunks,
                TaskPredictor<SampleRequest, float[][]> predictor,
                int dimension) {
            this.chunks = chunks;
            this.predictor = predictor;
            this.dimension = dimension;
        }

        @Override
        public boolean hasNext() {
            if (next < values.length) {
                return true;
            }
            if (!chunks.hasNext()) {
                if (!predictor.closedByTask()) {
                    predictor.close();
                }
                return false;
            }
            long chunk = chunks.next();
            int count = (int) Math.min(chunkSize, rows - chunk * chunkSize);
            try {
                values =
                        predictor.predict(
                                new SampleRequest(count, FlowSampler.chunkSeed(seed, chunk)));
            } catch (TranslateException e) {
                throw new IllegalStateException("sampling chunk " + chunk + " failed: " + e, e);
            }
            next = 0;
            return true;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            float[] sample = values[next++];
            Object[] row = new Object[dimension];
            for (int j = 0; j < dimension; j++) {
                row[j] = sample[j];
            }
            return RowFactory.create(row);
        }
    }
}
