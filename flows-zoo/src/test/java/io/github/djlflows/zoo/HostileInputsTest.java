package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.zoo.cli.FlowsCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input from the outside reaching the zoo: translator arguments and counts, predictor inputs,
 * configs and missing files. Each ends in an error naming what was expected and what came.
 */
class HostileInputsTest {

    static String messages(Throwable e) {
        return ZooConventionsTest.messages(e);
    }

    static Criteria<Integer, float[][]> sampling(String temperature) {
        return Criteria.builder()
                .setTypes(Integer.class, float[][].class)
                .optGroupId(FlowsModelZoo.GROUP_ID)
                .optArtifactId("realnvp")
                .optFilter("dataset", "two-moons")
                .optArgument("temperature", temperature)
                .build();
    }

    @Test
    void badTemperaturesAndSeedsAreNamed() {
        for (String t : new String[] {"abc", "Infinity", "-1", "0", "NaN"}) {
            String m = messages(assertThrows(Exception.class, () -> sampling(t).loadModel()));
            assertTrue(
                    m.contains("temperature must be a positive finite number") && m.contains(t), m);
        }
        Criteria<Integer, float[][]> seed =
                Criteria.builder()
                        .setTypes(Integer.class, float[][].class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId("realnvp")
                        .optArgument("seed", "1.5")
                        .build();
        String m = messages(assertThrows(Exception.class, seed::loadModel));
        assertTrue(m.contains("seed must be an integer") && m.contains("1.5"), m);
    }

    @Test
    void badCountsAreNamed() throws Exception {
        try (ZooModel<Integer, float[][]> model = sampling("0.7").loadModel();
                Predictor<Integer, float[][]> p = model.newPredictor()) {
            for (Integer n : new Integer[] {0, -1, Integer.MAX_VALUE, null}) {
                String m = messages(assertThrows(Exception.class, () -> p.predict(n)));
                assertTrue(m.contains("sample count must be in 1..") && m.contains("got " + n), m);
            }
            assertEquals(3, p.predict(3).length);
        }
    }

    @Test
    void rawPredictorInputsAreChecked() throws Exception {
        Criteria<NDList, NDList> raw =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId("maf")
                        .optFilter("dataset", "two-moons")
                        .build();
        try (ZooModel<NDList, NDList> model = raw.loadModel();
                Predictor<NDList, NDList> p = model.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            String empty = messages(assertThrows(Exception.class, () -> p.predict(new NDList())));
            assertTrue(empty.contains("empty"), empty);
            NDList doubles = new NDList(manager.create(new double[][] {{0.1, 0.2}}));
            String dtype = messages(assertThrows(Exception.class, () -> p.predict(doubles)));
            assertTrue(dtype.contains("float32") && dtype.contains("float64"), dtype);
            NDList threeD = new NDList(manager.create(new float[][] {{0.1f, 0.2f, 0.3f}}));
            String shape = messages(assertThrows(Exception.class, () -> p.predict(threeD)));
            assertTrue(shape.contains("(batch, 2)") && shape.contains("(1, 3)"), shape);
            NDList ok = new NDList(manager.create(new float[][] {{0.1f, 0.2f}}));
            assertEquals(DataType.FLOAT32, p.predict(ok).get(2).getDataType());
        }
    }

    @Test
    void nonFiniteRowsAndMisScaledLevelsAreNamed() throws Exception {
        try (ZooModel<float[][], float[]> model = ZooArtifactsTest.scorer("maf", "two-moons");
                Predictor<float[][], float[]> p = model.newPredictor()) {
            String m =
                    messages(
                            assertThrows(
                                    Exception.class,
                                    () -> p.predict(new float[][] {{0f, (float) 1e40}})));
            assertTrue(
                    m.contains("row 0 column 1") && m.contains("Infinity") && m.contains("finite"),
                    m);
        }
        try (ZooModel<float[][], float[]> model = ZooArtifactsTest.scorer("glow", "fashion-mnist");
                Predictor<float[][], float[]> p = model.newPredictor()) {
            float[][] unit = new float[1][784];
            float[][] big = new float[1][784];
            for (int i = 0; i < 784; i++) {
                unit[0][i] = (i % 7) / 7f;
                big[0][i] = i;
            }
            String scaled = messages(assertThrows(Exception.class, () -> p.predict(unit)));
            assertTrue(scaled.contains("[0, 255]") && scaled.contains("scaled to [0, 1]"), scaled);
            String range = messages(assertThrows(Exception.class, () -> p.predict(big)));
            assertTrue(range.contains("[0, 255]") && range.contains("is 256.0"), range);
        }
        // a variationally dequantized digits model takes the levels 0..16
        try (ZooModel<float[][], float[]> model = ZooArtifactsTest.scorer("maf", "digits");
                Predictor<float[][], float[]> p = model.newPredictor()) {
            float[][] levels = new float[1][64];
            levels[0][5] = 16;
            assertTrue(Float.isFinite(p.predict(levels)[0]));
            levels[0][5] = 17;
            String m = messages(assertThrows(Exception.class, () -> p.predict(levels)));
            assertTrue(m.contains("levels in [0, 16]") && m.contains("is 17.0"), m);
        }
    }

    private static FlowConfig config(String json) throws Exception {
        return FlowConfig.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    @Test
    void configsAreCheckedBeforeAnyWork() throws Exception {
        String unknown =
                assertThrows(Exception.class, () -> config("{\"family\": \"maf\", \"stpes\": 3}"))
                        .getMessage();
        assertTrue(
                unknown.contains("'stpes'")
                        && unknown.contains("steps")
                        && unknown.contains("test.json"),
                unknown);
        String future =
                assertThrows(Exception.class, () -> config("{\"version\": 9}")).getMessage();
        assertTrue(future.contains("version 9") && future.contains("up to 1"), future);
        String[][] bad = {
            {"\"trainSize\": 0", "trainSize must be positive", "got 0"},
            {"\"heldOutSize\": 0", "heldOutSize must be positive", "got 0"},
            {"\"steps\": -5", "steps must be positive", "got -5"},
            {"\"learningRate\": -0.1", "learningRate must be a positive finite number", "got -0.1"},
            {"\"batchSize\": 0", "batchSize must be positive", "got 0"},
            {"\"schedule\": \"linear\"", "unknown learning-rate schedule", "'linear'"},
            {
                "\"schedule\": \"cosine\", \"warmupSteps\": 5",
                "warm-up steps need the warmup-cosine schedule",
                "cosine"
            },
            {"\"dequantization\": \"gaussian\"", "unknown dequantization", "'gaussian'"},
            {"\"validateEvery\": 0", "validateEvery must be positive", "got 0"},
            {"\"logit\": true", "logit applies to digits", "two-moons"},
            {"\"learnedPrior\": true", "learnedPrior applies to glow", "realnvp"},
            {"\"logitAlpha\": 0", "logitAlpha must be in (0, 0.5)", "got 0.0"},
            {"\"logitAlpha\": 0.5", "logitAlpha must be in (0, 0.5)", "got 0.5"},
        };
        for (String[] b : bad) {
            FlowConfig c = config("{" + b[0] + "}");
            String m =
                    assertThrows(IllegalArgumentException.class, c::validateTraining).getMessage();
            assertTrue(m.contains(b[1]) && m.contains(b[2]), m);
        }
        FlowConfig fashion = config("{\"dataset\": \"fashion-mnist\", \"trainSize\": 0}");
        fashion.validateTraining(); // 0 is the whole split for image datasets
    }

    @Test
    void wholeNumbersInAConfigAreNotTruncated() throws Exception {
        String[][] bad = {
            {"\"layers\": 1e10", "'layers' must be a whole number (32-bit), got 1e10"},
            {"\"layers\": 2.5", "'layers' must be a whole number (32-bit), got 2.5"},
            {"\"hidden\": [64, 0.5]", "'hidden' must be a whole number (32-bit), got 0.5"},
            {"\"seed\": 1e30", "'seed' must be a whole number (64-bit), got 1e30"},
            {"\"layers\": \"six\"", "'layers' must be a whole number (32-bit), got \"six\""},
        };
        for (String[] b : bad) {
            String m = assertThrows(Exception.class, () -> config("{" + b[0] + "}")).getMessage();
            assertTrue(m.contains("test.json") && m.contains(b[1]), m);
        }
        assertEquals(6, config("{\"layers\": 6.0}").layers);
        String family =
                assertThrows(Exception.class, () -> config("{\"family\": null}")).getMessage();
        assertTrue(family != null && family.contains("unknown flow family 'null'"), family);
    }

    @Test
    void cliTrainWithAnEmptyTrainingSetStopsAtOnce(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("c.json");
        Files.writeString(cfg, "{\"trainSize\": 0, \"steps\": 10}");
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            assertEquals(
                    2,
                    FlowsCli.run(
                            "train",
                            "--config",
                            cfg.toString(),
                            "--out",
                            dir.resolve("m").toString()));
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString().contains("trainSize must be positive"), err.toString());
        assertTrue(Files.notExists(dir.resolve("m")), "no work before the check");
    }

    @Test
    void unknownArtifactsAndMissingFilesAreNamed(@TempDir Path dir) {
        String artifact =
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new FlowsModelZoo().find("maf/moons"))
                        .getMessage();
        assertTrue(artifact.contains("maf/moons") && artifact.contains("maf/two-moons"), artifact);
        Path missing = dir.resolve("nowhere");
        String noDir =
                assertThrows(Exception.class, () -> ModelDirectory.load(missing, null))
                        .getMessage();
        assertTrue(
                noDir.contains("model directory not found") && noDir.contains(missing.toString()),
                noDir);
        String noConfig =
                assertThrows(Exception.class, () -> FlowConfig.read(missing.resolve("config.json")))
                        .getMessage();
        assertTrue(noConfig.contains("config file not found"), noConfig);
    }
}
