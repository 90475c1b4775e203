package io.github.djlflows.zoo;

import ai.djl.repository.MRL;
import ai.djl.repository.RemoteRepository;
import ai.djl.repository.Repository;
import ai.djl.repository.RepositoryFactory;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelZoo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the {@code djl://io.github.djlflows/<artifactId>} URLs that {@code ModelZoo.listModels()}
 * prints load offline: registered for the {@code djl} scheme through {@code
 * META-INF/services/ai.djl.repository.RepositoryFactory}, it answers this zoo's URLs with a {@link
 * FlowsRepository} over the artifacts inside the jar, and every other group exactly as DJL 0.35.1's
 * own {@code djl://} factory does (DJL's remote repository).
 *
 * <pre>{@code
 * Criteria.builder().setTypes(float[][].class, float[].class)
 *         .optModelUrls("djl://io.github.djlflows/maf").optFilter("dataset", "two-moons").build();
 * }</pre>
 */
public class FlowsRepositoryFactory implements RepositoryFactory {

    private static final Pattern VERSIONED = Pattern.compile("(.+)/([\\d.]+)(/(.*))?");

    /** {@inheritDoc} */
    @Override
    public Repository newInstance(String name, URI uri) {
        String groupId = uri.getHost();
        String artifactId = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (FlowsModelZoo.GROUP_ID.equals(groupId)) {
            List<ZooArtifact> artifacts = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (ZooArtifact a : new FlowsModelZoo().getArtifacts()) {
                if (a.artifactId().equals(artifactId)) {
                    artifacts.add(a);
                }
                if (!ids.contains(a.artifactId())) {
                    ids.add(a.artifactId());
                }
            }
            if (artifacts.isEmpty()) {
                throw new IllegalArgumentException(
                        "no artifact '" + artifactId + "' in " + uri + ", known: " + ids);
            }
            return new FlowsRepository(name, uri, artifactId, artifacts);
        }
        return djlRemote(name, uri, groupId, artifactId);
    }

    /** DJL 0.35.1's own handling of a {@code djl://} URL of another zoo. */
    private static Repository djlRemote(String name, URI uri, String groupId, String path) {
        String query = uri.getQuery();
        URI djlUri = URI.create("https://mlrepo.djl.ai/" + (query == null ? "" : "?" + query));
        RemoteRepository repo = new RemoteRepository(name, djlUri);
        if (groupId == null || path.isEmpty()) {
            throw new IllegalArgumentException("Invalid djl URL: " + uri);
        }
        String artifactId = path;
        String version = null;
        String artifactName = null;
        Matcher m = VERSIONED.matcher(path);
        if (m.matches()) {
            artifactId = m.group(1);
            version = m.group(2);
            artifactName = m.group(4);
        }
        ModelZoo zoo = ModelZoo.getModelZoo(groupId);
        if (zoo == null) {
            throw new IllegalArgumentException("ModelZoo not found in classpath: " + groupId);
        }
        ModelLoader loader = zoo.getModelLoader(artifactId);
        if (loader == null) {
            throw new IllegalArgumentException("Invalid djl URL: " + uri);
        }
        MRL mrl = repo.model(loader.getApplication(), groupId, artifactId, version, artifactName);
        repo.addResource(mrl);
        return repo;
    }

    /** {@inheritDoc} */
    @Override
    public Set<String> getSupportedScheme() {
        return Set.of("djl");
    }
}
