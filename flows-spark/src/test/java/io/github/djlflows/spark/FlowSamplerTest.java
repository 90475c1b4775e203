package io.github.djlflows.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowsModelZoo;
import io.github.djlflows.zoo.ModelDirectory;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowSamplerTest {

    @Test
    void samplesAreTheSameForAnyPartitionCountAndScoreAsRecorded() throws Exception {
        FlowModelSource moons = FlowModelSource.zoo(SparkTestSupport.MOONS);
        FlowSampler sampler =
                FlowSampler.builder().setModel(moons).optSeed(11).optChunkSize(1000).build();
        Dataset<Row> two = sampler.sample(SparkTestSupport.spark(), 10_250, 2);
        Dataset<Row> five = sampler.sample(SparkTestSupport.spark(), 10_250, 5);
        assertEquals(List.of("x0", "x1"), List.of(two.schema().fieldNames()));
        List<Row> rowsTwo = two.collectAsList();
        assertEquals(10_250, rowsTwo.size());
        assertEquals(rowsTwo, five.collectAsList(), "2 and 5 partitions give the same rows");
        Row otherSeed =
                FlowSampler.builder()
                        .setModel(moons)
                        .optSeed(12)
                        .optChunkSize(1000)
                        .build()
                        .sample(SparkTestSupport.spark(), 10_250, 2)
                        .first();
        assertNotEquals(rowsTwo.get(0), otherSeed, "another seed, other rows");
        assertNotEquals(rowsTwo.get(0), rowsTwo.get(1000), "chunks differ");

        // the samples' mean log-density is minus the model's entropy, near its held-out NLL
        double meanLogProb =
                new FlowScorer()
                        .setModel(moons)
                        .transform(five)
                        .agg(functions.avg("log_prob"))
                        .first()
                        .getDouble(0);
        double recorded = new FlowsModelZoo().find(SparkTestSupport.MOONS).metrics().value;
        assertEquals(
                -recorded,
                meanLogProb,
                0.1,
                "mean log p of samples vs recorded held-out NLL " + recorded);
        assertEquals(ExecutorModels.predictorsOpened(), ExecutorModels.predictorsClosed());
    }

    @Test
    void samplesCarryTheColumnNamesOfTheModelsConfig(@TempDir Path dir) throws Exception {
        Path model = SparkTestSupport.modelDirectory(SparkTestSupport.MOONS, dir.resolve("m"));
        Path configFile = model.resolve(ModelDirectory.CONFIG);
        FlowConfig config = FlowConfig.read(configFile);
        config.columns = new String[] {"longitude", "latitude"};
        config.write(configFile);
        FlowModelSource source = FlowModelSource.location(model.toString());
        FlowSampler sampler = FlowSampler.builder().setModel(source).optChunkSize(100).build();
        Dataset<Row> samples = sampler.sample(SparkTestSupport.spark(), 300, 2);
        assertEquals(List.of("longitude", "latitude"), List.of(samples.schema().fieldNames()));
        assertEquals(List.of("longitude", "latitude"), sampler.columns());
        // the scorer's default input columns are the same names
        assertEquals(
                300, new FlowScorer().setModel(source).transform(samples).count(), "scored rows");
    }
}
