package io.github.djlflows.zoo;

import ai.djl.Application;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One pretrained artifact shipped inside the flows-zoo jar: {@code
 * artifacts/<artifactId>/<dataset>.zip} on the classpath holds a {@link ModelDirectory} ({@code
 * <artifactId>-<dataset>-0000.params}, {@code serving.properties}, {@code config.json}, {@code
 * metrics.json}), so {@code
 * Criteria.optModelUrls("jar:///io/github/djlflows/zoo/artifacts/maf/two-moons.zip")} loads it as
 * DJL's own zoos' archives, and the zoo reads it in memory without extracting it.
 *
 * @param artifactId the family artifact id (realnvp, maf, nsf, glow)
 * @param dataset the dataset it was trained on, the value of the {@code dataset} filter
 */
public record ZooArtifact(String artifactId, String dataset) {

    private static final String ROOT = "io/github/djlflows/zoo/artifacts/";

    /**
     * The classpath location of this artifact's archive.
     *
     * @return the resource path
     */
    public String resource() {
        return ROOT + artifactId + "/" + dataset + ".zip";
    }

    /**
     * The {@code jar://} URL DJL's {@code Criteria.optModelUrls} loads this artifact from.
     *
     * @return the URL
     */
    public String url() {
        return "jar:///" + resource();
    }

    /**
     * The location of a file of this artifact, for messages.
     *
     * @param file the file name
     * @return {@code archive!/file}
     */
    public String resource(String file) {
        return resource() + "!/" + file;
    }

    /**
     * The model name, the prefix of its params file.
     *
     * @return {@code artifactId-dataset}
     */
    public String modelName() {
        return artifactId + "-" + dataset;
    }

    /**
     * The name of the params file in the archive.
     *
     * @return {@code artifactId-dataset-0000.params}
     */
    public String paramsFile() {
        return modelName() + "-0000.params";
    }

    /**
     * Reads every file of the archive into memory.
     *
     * @return file name to contents
     * @throws IOException naming the resource when it is missing or unreadable
     */
    public Map<String, byte[]> files() throws IOException {
        InputStream in = ZooArtifact.class.getClassLoader().getResourceAsStream(resource());
        if (in == null) {
            throw new IOException("zoo artifact missing from the classpath: " + resource());
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.isDirectory()) {
                    files.put(entry.getName(), zip.readAllBytes());
                }
            }
        }
        return files;
    }

    /**
     * Opens a file of this artifact.
     *
     * @param file the file name
     * @return the stream
     * @throws IOException naming the resource when it is missing
     */
    public InputStream open(String file) throws IOException {
        byte[] bytes = files().get(file);
        if (bytes == null) {
            throw new IOException("zoo artifact file missing: " + resource(file));
        }
        return new ByteArrayInputStream(bytes);
    }

    /**
     * Reads this artifact's config.
     *
     * @return the config
     * @throws IOException if missing or corrupt
     */
    public FlowConfig config() throws IOException {
        try (InputStream in = open(ModelDirectory.CONFIG)) {
            return FlowConfig.read(in, resource(ModelDirectory.CONFIG));
        }
    }

    /**
     * Reads this artifact's recorded metrics.
     *
     * @return the metrics
     * @throws IOException if missing or corrupt
     */
    public FlowMetrics metrics() throws IOException {
        try (InputStream in = open(ModelDirectory.METRICS)) {
            return FlowMetrics.read(in, resource(ModelDirectory.METRICS));
        }
    }

    /**
     * The DJL application of an artifact id's models: image generation when its first artifact's
     * config is an image family, else {@link FlowsModelZoo#DENSITY_ESTIMATION}. (An id need not be
     * a family: {@code glow-vd} holds Glows with variational dequantization.)
     *
     * @param artifacts the artifacts of one id
     * @return the application
     */
    static Application applicationOf(List<ZooArtifact> artifacts) {
        try {
            return FlowFactory.isImage(artifacts.get(0).config())
                    ? Application.CV.IMAGE_GENERATION
                    : FlowsModelZoo.DENSITY_ESTIMATION;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The name used on the command line, {@code artifactId/dataset}.
     *
     * @return the name
     */
    public String name() {
        return artifactId + "/" + dataset;
    }
}
