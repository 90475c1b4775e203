package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.image.ActNorm;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.ZooArtifact;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config's {@code initFrom} copies the trained model's matching layers, with their saved state:
 * the same config reproduces the trained model's log-densities bit for bit, a variational
 * dequantization model takes everything but its dequantizer, and a model of other widths is refused
 * with the layers named.
 */
class InitialParametersTest {

    private static FlowConfig glow() {
        FlowConfig config = new FlowConfig();
        config.family = "glow";
        config.dataset = "fashion-mnist";
        config.eventShape = new long[] {1, 28, 28};
        config.layers = 1;
        config.levels = 2;
        config.hiddenChannels = 4;
        return config;
    }

    private static NDArray pixels(NDManager manager) {
        return manager.randomInteger(0, 256, new Shape(3, 1, 28, 28), DataType.INT32)
                .toType(DataType.FLOAT32, false);
    }

    /** A trained-looking model: ActNorm initialised from data, every weight moved off its start. */
    private static Path trained(Path dir, NDManager manager) throws IOException {
        Engine.getInstance().setRandomSeed(11);
        try (Model model = Model.newInstance("source")) {
            NormalizingFlow flow = FlowFactory.build(glow());
            model.setBlock(flow);
            flow.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(3, 1, 28, 28));
            flow.forward(new ParameterStore(manager, false), new NDList(pixels(manager)), true);
            for (Pair<String, Parameter> p : flow.getParameters()) {
                NDArray a = p.getValue().getArray();
                a.set(
                        new NDIndex("..."),
                        a.add(manager.randomNormal(0, 0.01f, a.getShape(), a.getDataType())));
            }
            ModelDirectory.save(model, glow(), null, dir);
        }
        return dir;
    }

    private static float[] logProb(Model model, NDArray x) {
        return ((NormalizingFlow) model.getBlock()).logProb(x).toFloatArray();
    }

    @Test
    void theSameConfigStartsAsTheTrainedModel(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Path source = trained(dir.resolve("source"), manager);
            FlowConfig config = glow();
            config.initFrom = source.toString();
            NDArray x = pixels(manager);
            try (Model trained = ModelDirectory.load(source, null);
                    Model started = Model.newInstance("started")) {
                started.setBlock(FlowFactory.build(config));
                String log = InitialParameters.copy(started, config);
                assertTrue(!log.contains("from the seed"), log);
                started.getBlock()
                        .initialize(
                                started.getNDManager(), DataType.FLOAT32, new Shape(3, 1, 28, 28));
                assertArrayEquals(logProb(trained, x), logProb(started, x), 0f);
            }
        }
    }

    @Test
    void variationalDequantizationTakesAllButItsDequantizer(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Path source = trained(dir.resolve("source"), manager);
            FlowConfig config = glow();
            config.dequantization = "variational";
            config.initFrom = source.toString();
            try (Model started = Model.newInstance("started")) {
                started.setBlock(FlowFactory.build(config));
                String log = InitialParameters.copy(started, config);
                assertTrue(log.contains("00VariationalDequantize] from the seed"), log);
                // the copied Glow keeps its data initialisation: training does not redo it
                assertTrue(allActNormsInitialized(started.getBlock()), log);
            }
        }
    }

    @Test
    void aModelTrainedWithoutItsTailsStartsFromOneWithThem(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            FlowConfig withTails = glow();
            withTails.latentTails = true;
            Path source = dir.resolve("source");
            try (Model model = Model.newInstance("source")) {
                model.setBlock(FlowFactory.build(withTails));
                model.getBlock()
                        .initialize(
                                model.getNDManager(), DataType.FLOAT32, new Shape(3, 1, 28, 28));
                ModelDirectory.save(model, withTails, null, source);
            }
            FlowConfig config = glow();
            config.dequantization = "variational";
            config.latentTails = true;
            config.latentTailsAfterTraining = true;
            config.initFrom = source.toString();
            try (Model started = Model.newInstance("started")) {
                // what ArtifactTrainer trains: the flow without its tails
                started.setBlock(FlowFactory.withoutLatentTails(config, FlowFactory.build(config)));
                String log = InitialParameters.copy(started, config);
                assertTrue(
                        log.contains("MultiScaleFlow]")
                                && log.contains("00VariationalDequantize] from the seed"),
                        log);
            }
        }
    }

    private static boolean allActNormsInitialized(Block block) {
        if (block instanceof ActNorm && !((ActNorm) block).isDataInitialized()) {
            return false;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            if (!allActNormsInitialized(child.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void otherWidthsAreRefusedNamingTheLayers(@TempDir Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Path source = trained(dir.resolve("source"), manager);
            FlowConfig config = glow();
            config.hiddenChannels = 8;
            config.initFrom = source.toString();
            try (Model started = Model.newInstance("started")) {
                started.setBlock(FlowFactory.build(config));
                IOException e =
                        assertThrows(
                                IOException.class, () -> InitialParameters.copy(started, config));
                assertTrue(e.getMessage().contains("no layer with parameters"), e.getMessage());
            }
            config.initFrom = dir.resolve("missing").toString();
            try (Model started = Model.newInstance("started")) {
                started.setBlock(FlowFactory.build(config));
                IOException e =
                        assertThrows(
                                IOException.class, () -> InitialParameters.copy(started, config));
                assertTrue(e.getMessage().contains("no such model directory"), e.getMessage());
            }
        }
    }

    @Test
    void aZooArtifactNamesItsModel() throws Exception {
        ZooArtifact artifact = new ZooArtifact("realnvp", "two-moons");
        FlowConfig config = artifact.config();
        config.initFrom = "realnvp/two-moons";
        try (NDManager manager = NDManager.newBaseManager();
                Model started = Model.newInstance("started")) {
            started.setBlock(FlowFactory.build(config));
            String log = InitialParameters.copy(started, config);
            assertTrue(!log.contains("from the seed"), log);
            started.getBlock()
                    .initialize(started.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
            NDArray x = manager.randomNormal(new Shape(50, 2));
            Path dir = java.nio.file.Files.createTempDirectory("zoo-copy");
            for (var f : artifact.files().entrySet()) {
                java.nio.file.Files.write(dir.resolve(f.getKey()), f.getValue());
            }
            try (Model shipped = ModelDirectory.load(dir, null)) {
                assertArrayEquals(logProb(shipped, x), logProb(started, x), 0f);
            }
        }
    }
}
