package io.github.djlflows.zoo;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.translate.FlowTranslatorFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one model directory format of DJL Flows, used by the zoo's artifacts, {@code flows train} and
 * a Java user's save. It is DJL's own layout, so {@code Criteria.optModelPath(dir)} and DJL Serving
 * open it as it is:
 *
 * <ul>
 *   <li>{@code <name>-0000.params}: the parameters, as {@code Model.save(dir, name)} writes them;
 *   <li>{@code serving.properties}: {@code engine=PyTorch}, {@code blockFactory} ({@link
 *       FlowBlockFactory}, which rebuilds the block from the config), {@code translatorFactory}
 *       ({@link FlowTranslatorFactory}) and {@code option.modelName=<name>};
 *   <li>{@code config.json}: the architecture (with a format {@code version}) and the recipe;
 *   <li>{@code metrics.json}: held-out metric, data, steps, wall time, machine and the params'
 *       SHA-256, checked before any parameter reaches the engine.
 * </ul>
 *
 * <pre>{@code
 * ModelDirectory.save(model, config, null, Path.of("out/moons"));
 * try (Model loaded = ModelDirectory.load(Path.of("out/moons"), Device.cpu())) { ... }
 * }</pre>
 */
public final class ModelDirectory {

    /** The DJL serving manifest. */
    public static final String SERVING_PROPERTIES = "serving.properties";

    /** The architecture config. */
    public static final String CONFIG = "config.json";

    /** The metrics record. */
    public static final String METRICS = "metrics.json";

    private static final Pattern PARAMS = Pattern.compile("(.+)-(\\d{4})\\.params");

    private ModelDirectory() {}

    /**
     * Saves a trained flow model as a model directory: the params under the model's name, its
     * config, the metrics (given or empty) with the params' SHA-256, and {@code
     * serving.properties}. Params of the same name saved earlier are removed first.
     *
     * @param model a model whose block is the flow {@code config} describes
     * @param config the architecture
     * @param metrics what training reached, or null
     * @param dir the directory (created if missing)
     * @return the params file written
     * @throws IOException if writing fails
     */
    public static Path save(Model model, FlowConfig config, FlowMetrics metrics, Path dir)
            throws IOException {
        checkDescribes(config, model.getBlock());
        String name = model.getName();
        Files.createDirectories(dir);
        // written aside first, so a save that fails leaves the directory's model as it was
        Path staging = dir.resolve(".saving");
        FileTrees.delete(staging);
        model.setProperty("Epoch", "0");
        Path params = dir.resolve(name + "-0000.params");
        try {
            model.save(staging, name);
            for (Path old : paramsFiles(dir, name)) {
                Files.delete(old);
            }
            Files.move(staging.resolve(params.getFileName()), params);
        } finally {
            FileTrees.delete(staging);
        }
        FlowMetrics m = metrics == null ? new FlowMetrics() : metrics;
        if (m.metric == null) {
            m.metric = "none";
        }
        m.paramsFile = params.getFileName().toString();
        m.paramsSha256 = ParamsLoading.sha256(Files.readAllBytes(params));
        config.write(dir.resolve(CONFIG));
        m.write(dir.resolve(METRICS));
        writeServingProperties(dir, name);
        return params;
    }

    /**
     * Writes {@code serving.properties} naming this project's block and translator factories.
     *
     * @param dir the model directory
     * @param modelName the params' prefix
     * @throws IOException if writing fails
     */
    public static void writeServingProperties(Path dir, String modelName) throws IOException {
        Properties p = servingProperties(modelName);
        try (Writer w = Files.newBufferedWriter(dir.resolve(SERVING_PROPERTIES))) {
            p.store(w, "DJL Flows model directory");
        }
    }

    /**
     * The {@code serving.properties} of a model directory.
     *
     * @param modelName the params' prefix
     * @return the properties
     */
    public static Properties servingProperties(String modelName) {
        Properties p = new Properties();
        p.setProperty("engine", "PyTorch");
        p.setProperty("blockFactory", FlowBlockFactory.class.getName());
        p.setProperty("translatorFactory", FlowTranslatorFactory.class.getName());
        p.setProperty("option.modelName", modelName);
        return p;
    }

    /**
     * The params' prefix a new model directory gets: the directory's own name, as DJL's loader
     * expects ({@code flow} for a root).
     *
     * @param dir the directory to write
     * @return the name
     */
    public static String nameFor(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? "flow" : name.toString();
    }

    /**
     * The params' prefix of a directory: {@code option.modelName} of its {@code
     * serving.properties}, else the only {@code <name>-NNNN.params} name in it.
     *
     * @param dir the model directory
     * @return the name
     * @throws IOException naming the directory and the params files found when none or several
     */
    public static String modelName(Path dir) throws IOException {
        Path manifest = dir.resolve(SERVING_PROPERTIES);
        if (Files.isRegularFile(manifest)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(manifest)) {
                p.load(r);
            }
            String name = p.getProperty("option.modelName");
            if (name != null && !name.isBlank()) {
                return name.trim();
            }
        }
        List<String> names = new ArrayList<>();
        for (Path f : paramsFiles(dir, null)) {
            Matcher m = PARAMS.matcher(f.getFileName().toString());
            if (m.matches() && !names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        if (names.size() != 1) {
            throw new IOException(
                    "model directory "
                            + dir.toAbsolutePath()
                            + " should hold one <name>-NNNN.params (or name it in "
                            + SERVING_PROPERTIES
                            + " as option.modelName), found "
                            + (names.isEmpty() ? "none" : names));
        }
        return names.get(0);
    }

    /**
     * The params file DJL loads for a name: the highest {@code <name>-NNNN.params}.
     *
     * @param dir the model directory
     * @param name the params' prefix
     * @return the file
     * @throws IOException naming the directory when there is none
     */
    public static Path paramsFile(Path dir, String name) throws IOException {
        List<Path> files = paramsFiles(dir, name);
        if (files.isEmpty()) {
            throw new IOException(
                    "no " + name + "-NNNN.params in model directory " + dir.toAbsolutePath());
        }
        return files.get(files.size() - 1);
    }

    /**
     * Checks a directory's params against the SHA-256 in its {@code metrics.json}, before any of it
     * reaches the engine. A directory without a recorded digest is refused: a damaged params file
     * could otherwise crash the native engine or load silently changed weights.
     *
     * @param dir the model directory
     * @param name the params' prefix
     * @return the params bytes
     * @throws IOException if a file cannot be read
     * @throws MalformedModelException if the digest is missing or differs
     */
    public static byte[] verifiedParams(Path dir, String name)
            throws IOException, MalformedModelException {
        Path params = paramsFile(dir, name);
        Path metricsFile = dir.resolve(METRICS);
        if (!Files.isRegularFile(metricsFile)) {
            throw new MalformedModelException(
                    "model directory "
                            + dir.toAbsolutePath()
                            + " has no "
                            + METRICS
                            + " with the params' SHA-256; write it with ModelDirectory.save (or"
                            + " record paramsFile and paramsSha256 there)");
        }
        FlowMetrics metrics;
        try (InputStream in = Files.newInputStream(metricsFile)) {
            metrics = FlowMetrics.read(in, metricsFile.toString());
        }
        String file = params.getFileName().toString();
        if (metrics.paramsSha256 == null
                || (metrics.paramsFile != null && !metrics.paramsFile.equals(file))) {
            throw new MalformedModelException(
                    metricsFile
                            + " records no SHA-256 for "
                            + file
                            + " (it names "
                            + metrics.paramsFile
                            + ")");
        }
        byte[] bytes = Files.readAllBytes(params);
        ParamsLoading.checkSha256(bytes, metrics.paramsSha256, params.toString());
        return bytes;
    }

    /**
     * Opens a model directory: rebuilds the flow from its config, checks the params' digest, then
     * loads them.
     *
     * @param dir the model directory
     * @param device the device, or null for the default
     * @return the model, its block a {@link NormalizingFlow}
     * @throws IOException if a file is missing or unreadable, naming it
     * @throws MalformedModelException if a file is corrupt or for another architecture
     */
    public static Model load(Path dir, Device device) throws IOException, MalformedModelException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("model directory not found: " + dir.toAbsolutePath());
        }
        FlowConfig config = FlowConfig.read(dir.resolve(CONFIG));
        String name = modelName(dir);
        Path params = paramsFile(dir, name);
        byte[] bytes = verifiedParams(dir, name);
        NormalizingFlow flow = FlowBlockFactory.build(config, dir.resolve(CONFIG).toString());
        Model model = Model.newInstance(name, device);
        model.setBlock(flow);
        try {
            ParamsLoading.load(model, new java.io.ByteArrayInputStream(bytes), params.toString());
            ParameterShapeException.check(config, flow, params.toString());
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * Checks that the config rebuilds a block with the saved block's parameter names and shapes.
     */
    private static void checkDescribes(FlowConfig config, ai.djl.nn.Block block) {
        if (block == null || !block.isInitialized()) {
            throw new IllegalStateException("save needs a trained or initialised model");
        }
        String problem = ParameterShapeException.mismatch(config, block);
        if (problem != null) {
            throw new IllegalArgumentException(
                    "the config (family "
                            + config.family
                            + ", "
                            + config.layers
                            + " layers) does not describe the model's block: "
                            + problem.replace(" in the file", " in the model"));
        }
    }

    private static List<Path> paramsFiles(Path dir, String name) throws IOException {
        List<Path> list = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return list;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(
                            f -> {
                                Matcher m = PARAMS.matcher(f.getFileName().toString());
                                return m.matches() && (name == null || name.equals(m.group(1)));
                            })
                    .sorted()
                    .forEach(list::add);
        }
        return list;
    }
}
