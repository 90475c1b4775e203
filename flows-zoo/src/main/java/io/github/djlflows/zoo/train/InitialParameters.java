package io.github.djlflows.zoo.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.elementwise.RangeTails;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.ZooArtifact;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A config's {@link FlowConfig#initFrom}: the top-level layers of a trained model copied into a new
 * model before its first step, each through DJL's own {@code saveParameters} / {@code
 * loadParameters}, so a layer's saved state (an ActNorm's data initialisation, a permutation's
 * order) comes along. A layer is copied when the trained model has a layer of the same position and
 * class whose parameters have the names and shapes the new config builds; the rest keep the seed's
 * initialisation. Latent tails at the end of either model are looked through.
 */
final class InitialParameters {

    private InitialParameters() {}

    /**
     * Copies the matching layers of {@code config.initFrom} into the model's (not yet initialised)
     * flow.
     *
     * @param target the new model, its block the config's flow
     * @param config the new config
     * @return what was copied, for the log
     * @throws IOException if the trained model cannot be found or read, or nothing matches
     */
    static String copy(Model target, FlowConfig config) throws IOException {
        Path dir = locate(config.initFrom);
        List<String> copied = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        int withParameters = 0;
        try (Model source = ModelDirectory.load(dir, null);
                NDManager scratch = NDManager.newBaseManager()) {
            NormalizingFlow expected = FlowFactory.build(config);
            expected.initialize(scratch, DataType.FLOAT32, new Shape(1).addAll(config.shape()));
            Block from = withinLatentTails(((NormalizingFlow) source.getBlock()).getFlow());
            Block to = withinLatentTails(((NormalizingFlow) target.getBlock()).getFlow());
            Block shapes = withinLatentTails(expected.getFlow());
            for (Pair<String, Block> child : to.getChildren()) {
                String name = child.getKey();
                Block old = from.getChildren().get(name);
                Block wanted = shapes.getChildren().get(name);
                if (old != null && sameParameters(old, wanted)) {
                    transfer(old, child.getValue(), target.getNDManager());
                    copied.add(name);
                    withParameters += old.getParameters().isEmpty() ? 0 : 1;
                } else {
                    kept.add(name);
                }
            }
        } catch (MalformedModelException e) {
            throw new IOException("initFrom " + config.initFrom + ": " + e.getMessage(), e);
        } finally {
            if (!dir.equals(Path.of(config.initFrom))) {
                // a zoo artifact's temporary copy
                try (var files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        }
        if (withParameters == 0) {
            throw new IOException(
                    "initFrom "
                            + config.initFrom
                            + ": no layer with parameters of that model has the position, class"
                            + " and parameter shapes of this config's layers "
                            + kept);
        }
        return "initialised from "
                + config.initFrom
                + ": layers "
                + copied
                + " copied"
                + (kept.isEmpty() ? "" : ", " + kept + " from the seed");
    }

    /**
     * The layers to match: those of the family's flow when latent tails (which have no trained
     * parameters) follow it as FlowFactory adds them, so a model trained without its tails ({@code
     * latentTailsAfterTraining}) and one with them line up.
     */
    private static Block withinLatentTails(Block flow) {
        if (flow instanceof FlowSequence) {
            List<FlowBlock> layers = ((FlowSequence) flow).getLayers();
            if (layers.size() == 2
                    && layers.get(0) instanceof FlowSequence
                    && layers.get(1) instanceof RangeTails) {
                return layers.get(0);
            }
        }
        return flow;
    }

    /** A model directory, or else a zoo artifact extracted to a temporary directory. */
    private static Path locate(String initFrom) throws IOException {
        Path dir = Path.of(initFrom);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        String[] parts = initFrom.split("/");
        if (parts.length == 2 && !Files.exists(dir)) {
            Map<String, byte[]> files;
            try {
                files = new ZooArtifact(parts[0], parts[1]).files();
            } catch (IOException e) {
                throw new IOException(
                        "initFrom "
                                + initFrom
                                + ": neither a model directory nor a zoo artifact ("
                                + e.getMessage()
                                + ")",
                        e);
            }
            Path tmp = Files.createTempDirectory("init-from");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
            return tmp;
        }
        throw new IOException(
                "initFrom "
                        + initFrom
                        + ": no such model directory ("
                        + dir.toAbsolutePath()
                        + ")");
    }

    // a layer without parameters (a permutation) matches by position and class: a model of another
    // dimension differs in the shapes of the layers around it; the size of the saved state is no
    // guide (glow/fashion-mnist, loaded and saved again, is 176 bytes shorter than a new block)
    private static boolean sameParameters(Block old, Block wanted) {
        if (wanted == null || old.getClass() != wanted.getClass()) {
            return false;
        }
        ParameterList a = old.getParameters();
        ParameterList b = wanted.getParameters();
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Shape sa = a.get(i).getValue().getArray().getShape();
            Shape sb = b.get(i).getValue().getArray().getShape();
            if (!a.get(i).getKey().equals(b.get(i).getKey()) || !sa.equals(sb)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] saved(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        block.saveParameters(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static void transfer(Block from, Block to, NDManager manager) throws IOException {
        try {
            to.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved(from))));
        } catch (MalformedModelException e) {
            throw new IOException("cannot copy a layer: " + e.getMessage(), e);
        }
    }
}
