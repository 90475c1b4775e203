package io.github.djlflows.zoo;

import ai.djl.Application;
import ai.djl.repository.zoo.ModelZoo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DJL Flows model zoo (group id {@code io.github.djlflows}): pretrained flows shipped inside
 * the jar, so loading works offline. Density models (realnvp, maf, nsf) are listed under {@link
 * #DENSITY_ESTIMATION}, image models (glow, glow-vd, realnvp-image) under {@link
 * Application.CV#IMAGE_GENERATION}; each artifact id has one filter, {@code dataset}.
 *
 * <pre>{@code
 * Criteria<float[][], float[]> criteria = Criteria.builder()
 *         .setTypes(float[][].class, float[].class)
 *         .optGroupId("io.github.djlflows")
 *         .optArtifactId("realnvp")
 *         .optFilter("dataset", "two-moons")
 *         .build();
 * try (ZooModel<float[][], float[]> model = criteria.loadModel()) { ... }
 * }</pre>
 */
public class FlowsModelZoo extends ModelZoo {

    /** The group id of the zoo. */
    public static final String GROUP_ID = "io.github.djlflows";

    /**
     * The application of the density models: DJL's {@code tabular} ({@link
     * Application.Tabular#ANY}), since DJL 0.35.1 has no density-estimation application and no
     * public way to add one.
     */
    public static final Application DENSITY_ESTIMATION = Application.Tabular.ANY;

    private static final String INDEX = "io/github/djlflows/zoo/artifacts/index.txt";

    private final List<ZooArtifact> artifacts;

    /** Creates the zoo from the artifact index on the classpath. */
    public FlowsModelZoo() {
        artifacts = readIndex();
        Map<String, List<ZooArtifact>> byId = new LinkedHashMap<>();
        for (ZooArtifact a : artifacts) {
            byId.computeIfAbsent(a.artifactId(), k -> new ArrayList<>()).add(a);
        }
        for (Map.Entry<String, List<ZooArtifact>> e : byId.entrySet()) {
            addModel(
                    new FlowModelLoader(
                            e.getKey(), ZooArtifact.applicationOf(e.getValue()), e.getValue()));
        }
    }

    /**
     * Every shipped artifact.
     *
     * @return the artifacts, in index order
     */
    public List<ZooArtifact> getArtifacts() {
        return Collections.unmodifiableList(artifacts);
    }

    /**
     * Finds an artifact by its {@code artifactId/dataset} name.
     *
     * @param name the name
     * @return the artifact
     * @throws IllegalArgumentException naming the known artifacts
     */
    public ZooArtifact find(String name) {
        for (ZooArtifact a : artifacts) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        List<String> names = new ArrayList<>();
        artifacts.forEach(a -> names.add(a.name()));
        throw new IllegalArgumentException("unknown artifact '" + name + "', known: " + names);
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    /** {@inheritDoc} */
    @Override
    public Set<String> getSupportedEngines() {
        return Set.of("PyTorch");
    }

    private static List<ZooArtifact> readIndex() {
        List<ZooArtifact> list = new ArrayList<>();
        InputStream in = FlowsModelZoo.class.getClassLoader().getResourceAsStream(INDEX);
        if (in == null) {
            return list;
        }
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("/");
                if (parts.length != 2) {
                    throw new IllegalStateException("bad line in " + INDEX + ": " + line);
                }
                list.add(new ZooArtifact(parts[0], parts[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return list;
    }
}
