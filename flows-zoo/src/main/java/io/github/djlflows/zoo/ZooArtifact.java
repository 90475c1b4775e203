package io.github.djlflows.zoo;

import java.io.IOException;
import java.io.InputStream;

/**
 * One pretrained artifact shipped inside the flows-zoo jar: {@code
 * artifacts/<artifactId>/<dataset>/} holds {@code model.params}, {@code config.json} and {@code
 * metrics.json} on the classpath.
 *
 * @param artifactId the family artifact id (realnvp, maf, nsf, glow)
 * @param dataset the dataset it was trained on, the value of the {@code dataset} filter
 */
public record ZooArtifact(String artifactId, String dataset) {

    private static final String ROOT = "io/github/djlflows/zoo/artifacts/";

    /**
     * The classpath location of a file of this artifact.
     *
     * @param file the file name
     * @return the resource path
     */
    public String resource(String file) {
        return ROOT + artifactId + "/" + dataset + "/" + file;
    }

    /**
     * Opens a file of this artifact.
     *
     * @param file the file name
     * @return the stream
     * @throws IOException naming the resource when it is missing
     */
    public InputStream open(String file) throws IOException {
        InputStream in = ZooArtifact.class.getClassLoader().getResourceAsStream(resource(file));
        if (in == null) {
            throw new IOException("zoo artifact file missing from the classpath: " + resource(file));
        }
        return in;
    }

    /**
     * Reads this artifact's config.
     *
     * @return the config
     * @throws IOException if missing or corrupt
     */
    public FlowConfig config() throws IOException {
        try (InputStream in = open("config.json")) {
            return FlowConfig.read(in, resource("config.json"));
        }
    }

    /**
     * Reads this artifact's recorded metrics.
     *
     * @return the metrics
     * @throws IOException if missing or corrupt
     */
    public FlowMetrics metrics() throws IOException {
        try (InputStream in = open("metrics.json")) {
            return FlowMetrics.read(in, resource("metrics.json"));
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
