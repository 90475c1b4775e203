package io.github.djlflows.spark;

import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/**
 * Where a Spark job's flow comes from: a zoo artifact ({@code maf/two-moons}) or a model directory
 * given by path or URL. Only this description travels to the executors; each executor JVM loads the
 * model itself, once (a {@code Model} is never serialized).
 *
 * <p>Locations:
 *
 * <ul>
 *   <li>a plain path ({@code /models/moons}): a directory on every executor's local or shared disk,
 *       loaded in place;
 *   <li>a Hadoop URL ({@code hdfs://}, {@code s3a://}, {@code file://}, any scheme Hadoop's {@code
 *       FileSystem} knows): copied once per executor JVM to executor-local disk (the Spark conf
 *       {@code spark.djlflows.modelCacheDir}, by default Spark's per-application scratch
 *       directory), then loaded from there; Hadoop options come from the {@code spark.hadoop.*}
 *       entries of the Spark conf;
 *   <li>a DJL URL ({@code djl://}, {@code jar://}, {@code http(s)://}): handed to DJL's {@code
 *       Criteria.optModelUrls} as it is.
 * </ul>
 *
 * <pre>{@code
 * FlowModelSource moons = FlowModelSource.zoo("maf/two-moons");
 * FlowModelSource mine = FlowModelSource.location("hdfs://namenode/models/transactions");
 * }</pre>
 */
public final class FlowModelSource implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String artifact;
    private final String location;

    private FlowModelSource(String artifact, String location) {
        this.artifact = artifact;
        this.location = location;
    }

    /**
     * A pretrained artifact of the DJL Flows zoo, shipped inside the flows-zoo jar.
     *
     * @param artifact {@code artifactId/dataset}, e.g. {@code maf/two-moons}
     * @return the source
     * @throws IllegalArgumentException if the name is not of that form
     */
    public static FlowModelSource zoo(String artifact) {
        if (artifact == null || !artifact.matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException(
                    "expected a zoo artifact name artifactId/dataset (e.g. maf/two-moons), got '"
                            + artifact
                            + "'");
        }
        return new FlowModelSource(artifact, null);
    }

    /**
     * A model directory by path or URL (see the class description for the schemes).
     *
     * @param location the path or URL
     * @return the source
     * @throws IllegalArgumentException if the location is empty or not a valid URI
     */
    public static FlowModelSource location(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException(
                    "expected a model path or URL, got '" + location + "'");
        }
        if (location.contains("://")) {
            try {
                URI.create(location);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "model location is not a valid URL: '" + location + "': " + e.getMessage(),
                        e);
            }
        }
        return new FlowModelSource(null, location);
    }

    /**
     * The zoo artifact name, or null for a location.
     *
     * @return {@code artifactId/dataset} or null
     */
    public String getArtifact() {
        return artifact;
    }

    /**
     * The path or URL, or null for a zoo artifact.
     *
     * @return the location or null
     */
    public String getLocation() {
        return location;
    }

    /**
     * The key under which an executor JVM holds the loaded model.
     *
     * @return {@code zoo:<artifact>} or the location
     */
    String key() {
        return artifact != null ? "zoo:" + artifact : location;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowModelSource)) {
            return false;
        }
        FlowModelSource other = (FlowModelSource) o;
        return Objects.equals(artifact, other.artifact) && Objects.equals(location, other.location);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Objects.hash(artifact, location);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return key();
    }
}
