package io.github.djlflows.spark;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.zoo.FlowsModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One in-process Spark for the tests, the data they score, and the reference predictor. */
final class SparkTestSupport {

    static final String MOONS = "maf/two-moons";

    private static SparkSession spark;

    private SparkTestSupport() {}

    /** local[2] with two attempts per task (so an injected failure is retried), no UI, loopback. */
    static synchronized SparkSession spark() {
        if (spark == null) {
            spark =
                    SparkSession.builder()
                            .master("local[2,2]")
                            .appName("flows-spark-test")
                            .config("spark.ui.enabled", "false")
                            .config("spark.driver.host", "127.0.0.1")
                            .config("spark.driver.bindAddress", "127.0.0.1")
                            .config("spark.sql.shuffle.partitions", "4")
                            .config("spark.sql.adaptive.enabled", "false")
                            .getOrCreate();
        }
        return spark;
    }

    /** Writes a zoo artifact's files into a new model directory. */
    static Path modelDirectory(String artifact, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> file :
                new FlowsModelZoo().find(artifact).files().entrySet()) {
            Files.write(dir.resolve(file.getKey()), file.getValue());
        }
        return dir;
    }

    /** Two-moons points (seed 5), flattened row after row. */
    static float[][] moons(int n) {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] flat = ToyDensity.TWO_MOONS.sample(manager, n, 5L).toFloatArray();
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = new float[] {flat[2 * i], flat[2 * i + 1]};
            }
            return rows;
        }
    }

    /** A table (id long, x float, y float, point array<float>) of the given rows. */
    static Dataset<Row> table(float[][] points) {
        StructType schema =
                new StructType()
                        .add("id", DataTypes.LongType, false)
                        .add("x", DataTypes.FloatType, false)
                        .add("y", DataTypes.FloatType, false)
                        .add("point", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        List<Row> rows = new ArrayList<>(points.length);
        for (int i = 0; i < points.length; i++) {
            rows.add(
                    RowFactory.create(
                            (long) i,
                            points[i][0],
                            points[i][1],
                            new float[] {points[i][0], points[i][1]}));
        }
        return spark().createDataFrame(rows, schema);
    }

    /** The zoo's own scoring path: one predictor, one call, float log-densities. */
    static float[] referenceScores(String artifact, float[][] rows) throws Exception {
        String[] parts = artifact.split("/");
        Criteria<float[][], float[]> criteria =
                Criteria.builder()
                        .setTypes(float[][].class, float[].class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId(parts[0])
                        .optFilter("dataset", parts[1])
                        .build();
        try (ZooModel<float[][], float[]> model = criteria.loadModel();
                Predictor<float[][], float[]> predictor = model.newPredictor()) {
            return predictor.predict(rows);
        }
    }

    /** log_prob by id. */
    static double[] scoresById(Dataset<Row> scored, int n) {
        double[] byId = new double[n];
        java.util.Arrays.fill(byId, Double.NaN);
        for (Row r : scored.select("id", "log_prob").collectAsList()) {
            byId[Math.toIntExact(r.getLong(0))] = r.getDouble(1);
        }
        return byId;
    }
}
