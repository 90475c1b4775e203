package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.cli.FlowsCli;
import io.github.djlflows.zoo.translate.FlowTranslatorFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One model directory format: what Java saves and what {@code flows train} writes both load through
 * {@code Criteria.optModelPath}, {@code optModelUrls}, {@code Model.load} and the CLI, with the
 * same log-densities.
 */
class ModelDirectoryTest {

    static final float[][] ROWS = {{0.1f, 0.4f}, {-1f, 0.5f}, {2f, -0.3f}};

    static FlowConfig smallConfig() {
        FlowConfig config = new FlowConfig();
        config.family = "realnvp";
        config.layers = 2;
        config.hidden = new int[] {8};
        return config;
    }

    /** A Java user's model: FlowFactory's block, initialised, saved as a model directory. */
    static float[] saveFromJava(Path dir) throws Exception {
        FlowConfig config = smallConfig();
        try (Model model = Model.newInstance("moons");
                NDManager manager = NDManager.newBaseManager()) {
            NormalizingFlow flow = FlowFactory.build(config);
            model.setBlock(flow);
            flow.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
            ModelDirectory.save(model, config, null, dir);
            return flow.logProb(manager.create(ROWS)).toFloatArray();
        }
    }

    static float[] cliScore(Path dir, Path work) throws Exception {
        Path csv = work.resolve("rows.csv");
        StringBuilder sb = new StringBuilder();
        for (float[] r : ROWS) {
            sb.append(r[0]).append(',').append(r[1]).append('\n');
        }
        Files.writeString(csv, sb.toString());
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            assertEquals(
                    0, FlowsCli.run("score", "--model", dir.toString(), "--input", csv.toString()));
        } finally {
            System.setOut(old);
        }
        String[] lines = captured.toString().trim().split("\\R");
        assertEquals("row,log_density", lines[0]);
        float[] out = new float[lines.length - 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.parseFloat(lines[i + 1].split(",")[1]);
        }
        return out;
    }

    static float[] criteriaScore(Criteria.Builder<float[][], float[]> builder) throws Exception {
        try (ZooModel<float[][], float[]> model = builder.build().loadModel();
                Predictor<float[][], float[]> p = model.newPredictor()) {
            return p.predict(ROWS);
        }
    }

    static Criteria.Builder<float[][], float[]> scoring() {
        return Criteria.builder()
                .setTypes(float[][].class, float[].class)
                .optTranslatorFactory(new FlowTranslatorFactory());
    }

    @Test
    void javaSavedDirectoryHasDjlLayout(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m");
        saveFromJava(m);
        assertTrue(Files.isRegularFile(m.resolve("moons-0000.params")));
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(m.resolve("serving.properties"))) {
            p.load(r);
        }
        assertEquals(FlowBlockFactory.class.getName(), p.getProperty("blockFactory"));
        assertEquals(FlowTranslatorFactory.class.getName(), p.getProperty("translatorFactory"));
        assertEquals("moons", p.getProperty("option.modelName"));
        FlowMetrics metrics =
                FlowMetrics.read(Files.newInputStream(m.resolve("metrics.json")), "m");
        assertEquals(
                ParamsLoading.sha256(Files.readAllBytes(m.resolve("moons-0000.params"))),
                metrics.paramsSha256);
        assertTrue(Files.readString(m.resolve("config.json")).contains("\"version\": 1"));
        // saving again replaces the params instead of adding moons-0001.params
        saveFromJava(m);
        try (var files = Files.list(m)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".params")).count());
        }
    }

    @Test
    void everyVectorFamilyRoundTripsThroughItsDirectory(@TempDir Path dir) throws Exception {
        int families = 0;
        for (String family : FlowFactory.FAMILIES) {
            if (FlowFactory.isImageFamily(family)) {
                continue;
            }
            FlowConfig config = smallConfig();
            config.family = family;
            config.units = 3;
            config.bins = 4;
            Path m = dir.resolve(family);
            float[] expected;
            try (Model model = Model.newInstance(family);
                    NDManager manager = NDManager.newBaseManager()) {
                NormalizingFlow flow = FlowFactory.build(config);
                model.setBlock(flow);
                flow.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
                // weights off their (often identity) start, so a wrong load shows
                for (ai.djl.nn.Parameter p : flow.getParameters().values()) {
                    NDArray w = p.getArray();
                    w.set(
                            manager.randomNormal(0, 0.3f, w.getShape(), DataType.FLOAT32)
                                    .toFloatArray());
                }
                ModelDirectory.save(model, config, null, m);
                expected = flow.logProb(manager.create(ROWS)).toFloatArray();
            }
            assertArrayEquals(expected, criteriaScore(scoring().optModelPath(m)), 1e-5f, family);
            assertArrayEquals(expected, cliScore(m, dir), 1e-4f, family + " through flows score");
            families++;
        }
        assertEquals(5, families, "realnvp, maf, nsf, nsf-ar, naf");
    }

    @Test
    void javaSavedDirectoryLoadsEverywhereWithTheSameDensities(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m");
        float[] expected = saveFromJava(m);
        assertArrayEquals(
                expected, criteriaScore(scoring().optModelPath(m)), 1e-6f, "optModelPath");
        assertArrayEquals(
                expected,
                criteriaScore(scoring().optModelUrls(m.toUri().toString())),
                1e-6f,
                "file:// url");
        // serving.properties alone (blockFactory, modelName): DJL's raw NDList path needs no
        // factory
        Criteria<NDList, NDList> raw =
                Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(m).build();
        try (ZooModel<NDList, NDList> model = raw.loadModel();
                NDManager manager = NDManager.newBaseManager();
                Predictor<NDList, NDList> p = model.newPredictor()) {
            float[] logProb = p.predict(new NDList(manager.create(ROWS))).get(2).toFloatArray();
            assertArrayEquals(expected, logProb, 1e-6f, "NDList via serving.properties");
        }
        // Model.load(dir) after setBlock(FlowFactory.build(config))
        try (Model model = Model.newInstance("moons");
                NDManager manager = NDManager.newBaseManager()) {
            NormalizingFlow flow = FlowFactory.build(FlowConfig.read(m.resolve("config.json")));
            model.setBlock(flow);
            model.load(m);
            assertArrayEquals(
                    expected,
                    flow.logProb(manager.create(ROWS)).toFloatArray(),
                    1e-6f,
                    "Model.load");
        }
        assertArrayEquals(expected, cliScore(m, dir), 1e-5f, "CLI score of a Java-saved directory");
    }

    @Test
    void cliTrainedDirectoryLoadsThroughCriteriaAsTheCliScores(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("trained");
        assertEquals(
                0, FlowsCli.run("train", "--steps", "5", "--layers", "1", "--out", m.toString()));
        assertTrue(Files.isRegularFile(m.resolve("trained-0000.params")));
        float[] cli = cliScore(m, dir);
        assertArrayEquals(cli, criteriaScore(scoring().optModelPath(m)), 1e-5f);
        try (Model model = ModelDirectory.load(m, null);
                NDManager manager = NDManager.newBaseManager()) {
            float[] java =
                    ((NormalizingFlow) model.getBlock())
                            .logProb(manager.create(ROWS))
                            .toFloatArray();
            assertArrayEquals(cli, java, 1e-5f);
        }
    }

    /**
     * A loaded directory saved again (a copy, or after fine-tuning) keeps its densities: a block
     * whose parameters were only loaded knows its input shapes but not their names, and DJL's
     * Model.save refused it ("key value size mismatch").
     */
    @Test
    void aLoadedDirectorySavesAgain(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("moons");
        float[] expected = saveFromJava(first);
        Path copy = dir.resolve("copy");
        try (Model model = ModelDirectory.load(first, null)) {
            ModelDirectory.save(
                    model, FlowConfig.read(first.resolve(ModelDirectory.CONFIG)), null, copy);
        }
        try (Model model = ModelDirectory.load(copy, null);
                NDManager manager = NDManager.newBaseManager()) {
            float[] again =
                    ((NormalizingFlow) model.getBlock())
                            .logProb(manager.create(ROWS))
                            .toFloatArray();
            assertArrayEquals(expected, again, 0f);
        }
        // the same through DJL's own loader, and saved over the directory it came from
        try (ZooModel<float[][], float[]> model =
                scoring().optModelPath(copy).build().loadModel()) {
            ModelDirectory.save(
                    model, FlowConfig.read(copy.resolve(ModelDirectory.CONFIG)), null, copy);
        }
        assertArrayEquals(expected, criteriaScore(scoring().optModelPath(copy)), 0f);
    }

    @Test
    void aChangedParamsFileIsRefusedBeforeItLoads(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m");
        saveFromJava(m);
        Path params = m.resolve("moons-0000.params");
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length - 3] ^= 0x10;
        Files.write(params, bytes);
        MalformedModelException e =
                assertThrows(MalformedModelException.class, () -> ModelDirectory.load(m, null));
        assertTrue(
                e.getMessage().contains("SHA-256") && e.getMessage().contains("moons-0000.params"),
                e.getMessage());
        Exception viaCriteria =
                assertThrows(Exception.class, () -> criteriaScore(scoring().optModelPath(m)));
        String message = String.valueOf(viaCriteria.getMessage()) + viaCriteria.getCause();
        assertTrue(message.contains("SHA-256"), message);
    }

    /**
     * A digest that matches does not make the shapes right: a config edited after training, or a
     * params file of another width with its new digest recorded, is refused by name before any
     * native computation, through ModelDirectory, Criteria and the CLI.
     */
    @Test
    void paramsOfOtherShapesThanTheConfigBuildsAreRefusedByName(@TempDir Path dir)
            throws Exception {
        Path edited = dir.resolve("edited");
        saveFromJava(edited);
        FlowConfig wider = smallConfig();
        wider.hidden = new int[] {16};
        wider.write(edited.resolve(ModelDirectory.CONFIG));
        assertShapesRefused(edited, dir, "(16, 1)", "(8, 1)");

        Path replaced = dir.resolve("replaced");
        saveFromJava(replaced);
        Path other = dir.resolve("other");
        try (Model model = Model.newInstance("moons")) {
            NormalizingFlow flow = FlowFactory.build(wider);
            model.setBlock(flow);
            flow.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
            ModelDirectory.save(model, wider, null, other);
        }
        Path params = replaced.resolve("moons-0000.params");
        Files.copy(other.resolve("moons-0000.params"), params, StandardCopyOption.REPLACE_EXISTING);
        FlowMetrics metrics = new FlowMetrics();
        metrics.metric = "none";
        metrics.paramsFile = "moons-0000.params";
        metrics.paramsSha256 = ParamsLoading.sha256(Files.readAllBytes(params));
        metrics.write(replaced.resolve(ModelDirectory.METRICS));
        assertShapesRefused(replaced, dir, "(8, 1)", "(16, 1)");
    }

    private static void assertShapesRefused(Path m, Path work, String config, String file)
            throws Exception {
        ParameterShapeException e =
                assertThrows(ParameterShapeException.class, () -> ModelDirectory.load(m, null));
        String message = e.getMessage();
        assertTrue(
                message.contains("moons-0000.params")
                        && message.contains(config + " from the config")
                        && message.contains(file + " in the file"),
                message);
        Exception viaCriteria =
                assertThrows(Exception.class, () -> criteriaScore(scoring().optModelPath(m)));
        String got = String.valueOf(viaCriteria.getMessage()) + viaCriteria.getCause();
        assertTrue(got.contains(config + " from the config"), got);
        Path csv = work.resolve("rows.csv");
        Files.writeString(csv, "0.1,0.4\n");
        PrintStream old = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            int rc = FlowsCli.run("score", "--model", m.toString(), "--input", csv.toString());
            assertTrue(rc != 0, "exit code " + rc);
        } finally {
            System.setErr(old);
        }
        assertTrue(captured.toString().contains(config + " from the config"), captured.toString());
    }

    @Test
    void aDirectoryWithoutParamsOrConfigIsNamed(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m");
        saveFromJava(m);
        Files.delete(m.resolve("moons-0000.params"));
        Exception noParams = assertThrows(Exception.class, () -> ModelDirectory.load(m, null));
        assertTrue(
                noParams.getMessage().contains("moons-NNNN.params")
                        && noParams.getMessage().contains(m.toAbsolutePath().toString()),
                noParams.getMessage());
        Exception missing =
                assertThrows(
                        Exception.class, () -> ModelDirectory.load(dir.resolve("nothing"), null));
        assertTrue(missing.getMessage().contains("nothing"), missing.getMessage());
    }
}
