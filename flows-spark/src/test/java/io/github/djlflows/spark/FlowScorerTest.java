package io.github.djlflows.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowsModelZoo;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.train.LogDensityQuantiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowScorerTest {

    private static final int N = 10_000;

    @Test
    void scoresEqualOnePredictorRowByRowInAnyPartitioning() throws Exception {
        float[][] points = SparkTestSupport.moons(N);
        float[] reference = SparkTestSupport.referenceScores(SparkTestSupport.MOONS, points);
        Dataset<Row> table = SparkTestSupport.table(points);
        FlowModelSource moons = FlowModelSource.zoo(SparkTestSupport.MOONS);
        FlowScorer scorer =
                new FlowScorer()
                        .setModel(moons)
                        .setInputCols(new String[] {"x", "y"})
                        .setBatchSize(500);
        double[] sums = new double[3];
        int[] partitions = {1, 3, 7};
        for (int k = 0; k < partitions.length; k++) {
            Dataset<Row> scored = scorer.transform(table.repartition(partitions[k]));
            long opened = ExecutorModels.predictorsOpened();
            double[] byId = SparkTestSupport.scoresById(scored, N);
            assertEquals(
                    partitions[k],
                    ExecutorModels.predictorsOpened() - opened,
                    "one predictor per task");
            for (int i = 0; i < N; i++) {
                assertEquals(
                        (double) reference[i],
                        byId[i],
                        0.0,
                        "row " + i + ", " + partitions[k] + " partitions");
            }
            sums[k] = scored.agg(functions.sum("log_prob")).first().getDouble(0);
        }
        for (double sum : sums) {
            assertEquals(sums[0], sum, 1e-12 * Math.abs(sums[0]), "sums over 1, 3, 7 partitions");
        }
        // the same rows as one array<float> column, with an anomaly flag
        FlowScorer byArray =
                new FlowScorer().setModel(moons).setInputCol("point").setAnomalyThreshold(-3.0);
        List<Row> flagged =
                byArray.transform(table.repartition(3))
                        .select("id", "log_prob", "anomaly")
                        .collectAsList();
        int anomalies = 0;
        for (Row r : flagged) {
            double expected = reference[Math.toIntExact(r.getLong(0))];
            assertEquals(expected, r.getDouble(1), 0.0);
            assertEquals(expected < -3.0, r.getBoolean(2));
            anomalies += r.getBoolean(2) ? 1 : 0;
        }
        assertTrue(
                anomalies > 0 && anomalies < N / 10,
                "a few points of the data are below -3: " + anomalies);
        assertEquals(1, ExecutorModels.loads(moons), "the model loads once per JVM");
        assertEquals(
                ExecutorModels.predictorsOpened(),
                ExecutorModels.predictorsClosed(),
                "every predictor closed");
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithTheSameOutput() throws Exception {
        float[][] points = SparkTestSupport.moons(3000);
        Dataset<Row> table = SparkTestSupport.table(points).repartition(3);
        FlowScorer scorer =
                new FlowScorer()
                        .setModel(FlowModelSource.zoo(SparkTestSupport.MOONS))
                        .setInputCols(new String[] {"x", "y"})
                        .setBatchSize(256);
        double[] clean = SparkTestSupport.scoresById(scorer.transform(table), 3000);
        FailOnce.FAILURES.set(0);
        Dataset<Row> failing =
                scorer.transform(table)
                        .mapPartitions(
                                new FailOnce(), Encoders.row(scorer.transform(table).schema()));
        double[] retried = SparkTestSupport.scoresById(failing, 3000);
        assertEquals(1, FailOnce.FAILURES.get(), "the first attempt of partition 1 failed");
        assertArrayEquals(clean, retried, 0.0);
        assertEquals(
                ExecutorModels.predictorsOpened(),
                ExecutorModels.predictorsClosed(),
                "the failed attempt's predictor is closed too");

        FlowSampler sampler =
                FlowSampler.builder()
                        .setModel(FlowModelSource.zoo(SparkTestSupport.MOONS))
                        .optChunkSize(300)
                        .build();
        Dataset<Row> samples = sampler.sample(SparkTestSupport.spark(), 2000, 3);
        List<Row> expected = samples.collectAsList();
        FailOnce.FAILURES.set(0);
        List<Row> afterRetry =
                samples.mapPartitions(new FailOnce(), Encoders.row(samples.schema()))
                        .collectAsList();
        assertEquals(1, FailOnce.FAILURES.get());
        assertEquals(expected, afterRetry);
        assertEquals(ExecutorModels.predictorsOpened(), ExecutorModels.predictorsClosed());
    }

    @Test
    void aModelDirectoryByHadoopUrlIsCopiedOnceAndScoresLikeTheZoo(@TempDir Path dir)
            throws Exception {
        Path model = Files.createDirectories(dir.resolve("moons model"));
        for (Map.Entry<String, byte[]> file :
                new FlowsModelZoo().find(SparkTestSupport.MOONS).files().entrySet()) {
            Files.write(model.resolve(file.getKey()), file.getValue());
        }
        FlowModelSource source = FlowModelSource.location(model.toUri().toString());
        float[][] points = SparkTestSupport.moons(2000);
        float[] reference = SparkTestSupport.referenceScores(SparkTestSupport.MOONS, points);
        FlowScorer scorer = new FlowScorer().setModel(source).setInputCols(new String[] {"x", "y"});
        Dataset<Row> table = SparkTestSupport.table(points).repartition(2);
        for (int round = 0; round < 2; round++) {
            double[] byId = SparkTestSupport.scoresById(scorer.transform(table), 2000);
            for (int i = 0; i < byId.length; i++) {
                assertEquals((double) reference[i], byId[i], 0.0, "row " + i);
            }
        }
        assertEquals(1, ExecutorModels.loads(source));
        Path copy = ModelFiles.localCopy(source.getLocation());
        assertTrue(Files.isRegularFile(copy.resolve("serving.properties")), "copied to " + copy);
        assertTrue(
                !copy.startsWith(dir),
                "the copy is on executor-local disk, not the source: " + copy);

        Path saved = dir.resolve("scorer");
        scorer.setAnomalyThreshold(-4).write().overwrite().save(saved.toString());
        FlowScorer loaded = FlowScorer.load(saved.toString());
        assertEquals(source, loaded.getModel());
        assertEquals(-4.0, (Double) loaded.getOrDefault(loaded.anomalyThreshold()));
        assertArrayEquals(new String[] {"x", "y"}, loaded.getOrDefault(loaded.inputCols()));
    }

    @Test
    void flagBelowQuantileReadsTheModelsStoredQuantiles(@TempDir Path dir) throws Exception {
        Path model = SparkTestSupport.modelDirectory(SparkTestSupport.MOONS, dir.resolve("m"));
        float[][] points = SparkTestSupport.moons(2000);
        LogDensityQuantiles.of(SparkTestSupport.referenceScores(SparkTestSupport.MOONS, points))
                .write(model);
        double threshold = LogDensityQuantiles.read(model).threshold(0.05);
        FlowScorer scorer =
                new FlowScorer()
                        .setModel(FlowModelSource.location(model.toString()))
                        .setInputCols(new String[] {"x", "y"})
                        .setFlagBelowQuantile(0.05);
        List<Row> rows =
                scorer.transform(SparkTestSupport.table(points).repartition(2))
                        .select("log_prob", "anomaly")
                        .collectAsList();
        int flagged = 0;
        for (Row r : rows) {
            assertEquals(r.getDouble(0) < threshold, r.getBoolean(1), "row " + r);
            flagged += r.getBoolean(1) ? 1 : 0;
        }
        // the 5% quantile of these very rows' log-densities flags about 5% of them
        assertEquals(100, flagged, 2);
        assertTrue(!scorer.setAnomalyThreshold(-4).isDefined(scorer.flagBelowQuantile()));
        assertThrows(IllegalArgumentException.class, () -> scorer.setFlagBelowQuantile(1.0));

        // a zoo artifact stores no training rows: it flags against its held-out rows' quantiles
        FlowScorer zoo =
                new FlowScorer()
                        .setModel(FlowModelSource.zoo(SparkTestSupport.MOONS))
                        .setInputCols(new String[] {"x", "y"})
                        .setFlagBelowQuantile(0.01);
        double heldOut;
        try (ZooModel<NDList, NDList> moons =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optModelUrls(new FlowsModelZoo().find(SparkTestSupport.MOONS).url())
                        .build()
                        .loadModel()) {
            heldOut =
                    LogDensityQuantiles.ofHeldOut(
                                    (NormalizingFlow) moons.getBlock(),
                                    new FlowsModelZoo().find(SparkTestSupport.MOONS).config())
                            .threshold(0.01);
        }
        int zooFlagged = 0;
        for (Row r : zoo.transform(SparkTestSupport.table(points)).collectAsList()) {
            double logProb = r.getDouble(r.fieldIndex("log_prob"));
            assertEquals(logProb < heldOut, r.getBoolean(r.fieldIndex("anomaly")), "row " + r);
            zooFlagged += logProb < heldOut ? 1 : 0;
        }
        assertTrue(zooFlagged > 0 && zooFlagged < 100, "flagged " + zooFlagged + " of 2000");

        // a model trained from a CSV without its stored quantiles has neither (a new directory:
        // a location's model is loaded once per JVM)
        Path csvModel = SparkTestSupport.modelDirectory(SparkTestSupport.MOONS, dir.resolve("csv"));
        FlowConfig csv = FlowConfig.read(csvModel.resolve(ModelDirectory.CONFIG));
        csv.input = "rows.csv";
        csv.write(csvModel.resolve(ModelDirectory.CONFIG));
        FlowScorer noQuantiles =
                new FlowScorer()
                        .setModel(FlowModelSource.location(csvModel.toString()))
                        .setInputCols(new String[] {"x", "y"})
                        .setFlagBelowQuantile(0.01);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> noQuantiles.transform(SparkTestSupport.table(points)));
        assertTrue(e.getMessage().contains(LogDensityQuantiles.FILE), e.getMessage());
    }

    @Test
    void badInputGivesClearErrors() {
        Dataset<Row> table = SparkTestSupport.table(SparkTestSupport.moons(10));
        FlowModelSource moons = FlowModelSource.zoo(SparkTestSupport.MOONS);
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new FlowScorer()
                                        .setModel(moons)
                                        .setInputCols(new String[] {"x", "z"})
                                        .transform(table));
        assertTrue(missing.getMessage().contains("'z' not found"), missing.getMessage());
        IllegalArgumentException notNumeric =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new FlowScorer()
                                        .setModel(moons)
                                        .setInputCols(new String[] {"x", "point"})
                                        .transform(table));
        assertTrue(
                notNumeric.getMessage().contains("must be numeric, got array<float>"),
                notNumeric.getMessage());
        IllegalArgumentException count =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new FlowScorer()
                                        .setModel(moons)
                                        .setInputCols(new String[] {"x"})
                                        .transform(table));
        assertTrue(count.getMessage().contains("takes 2 values per row"), count.getMessage());
        IllegalArgumentException noModel =
                assertThrows(
                        IllegalArgumentException.class, () -> new FlowScorer().transform(table));
        assertTrue(noModel.getMessage().contains("no model"), noModel.getMessage());
        IllegalArgumentException exists =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new FlowScorer()
                                        .setModel(moons)
                                        .setInputCols(new String[] {"x", "y"})
                                        .setOutputCol("id")
                                        .transform(table));
        assertTrue(exists.getMessage().contains("'id' already exists"), exists.getMessage());
        Dataset<Row> wide =
                table.withColumn(
                        "point",
                        functions.array(
                                functions.col("x"), functions.col("x"), functions.col("y")));
        SparkException wrongLength =
                assertThrows(
                        SparkException.class,
                        () ->
                                new FlowScorer()
                                        .setModel(moons)
                                        .setInputCol("point")
                                        .transform(wide)
                                        .collectAsList());
        assertTrue(
                wrongLength.getMessage().contains("array of 3 values, expected 2"),
                wrongLength.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FlowModelSource.zoo("two-moons"));
        assertThrows(IllegalArgumentException.class, () -> FlowSampler.builder().build());
        assertThrows(
                IllegalArgumentException.class,
                () -> FlowSampler.builder().setModel(moons).optChunkSize(0).build());
    }

    /** Passes rows through, but the first attempt of partition 1 fails after 100 rows. */
    static final class FailOnce implements MapPartitionsFunction<Row, Row> {

        static final AtomicInteger FAILURES = new AtomicInteger();

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            TaskContext task = TaskContext.get();
            boolean fail = task.partitionId() == 1 && task.attemptNumber() == 0;
            return new Iterator<>() {
                private int seen;

                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    if (fail && ++seen > 100) {
                        FAILURES.incrementAndGet();
                        throw new IllegalStateException("injected failure");
                    }
                    return rows.next();
                }
            };
        }
    }
}
