package io.github.djlflows.zoo;

import ai.djl.Application;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Metadata;
import ai.djl.repository.Repository;
import ai.djl.util.Progress;
import ai.djl.util.Utils;
import io.github.djlflows.zoo.translate.FlowTranslatorFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A DJL {@link Repository} over one artifact id of this zoo: one DJL artifact per dataset (property
 * {@code dataset}, so {@code optFilter("dataset", ...)} selects it), prepared by unpacking its
 * archive from the classpath into DJL's cache. Each artifact carries the {@code translatorFactory}
 * argument, so typed criteria find {@link FlowTranslatorFactory}.
 */
public class FlowsRepository implements Repository {

    private final String name;
    private final URI uri;
    private final String artifactId;
    private final Metadata metadata;
    private final MRL mrl;
    private final Map<String, String> versions = new java.util.concurrent.ConcurrentHashMap<>();

    FlowsRepository(String name, URI uri, String artifactId, List<ZooArtifact> artifacts) {
        this.name = name;
        this.uri = uri;
        this.artifactId = artifactId;
        Application application = ZooArtifact.applicationOf(artifacts);
        metadata = new Metadata();
        metadata.setGroupId(FlowsModelZoo.GROUP_ID);
        metadata.setArtifactId(artifactId);
        List<Artifact> list = new ArrayList<>();
        for (ZooArtifact a : artifacts) {
            Artifact artifact = new Artifact();
            artifact.setName(a.modelName());
            artifact.setVersion("0.1.0");
            artifact.setProperties(Map.of("dataset", a.dataset()));
            artifact.getArguments().put("translatorFactory", FlowTranslatorFactory.class.getName());
            artifact.setMetadata(metadata);
            list.add(artifact);
        }
        metadata.setArtifacts(list);
        metadata.setRepositoryUri(uri);
        mrl = MRL.model(this, application, FlowsModelZoo.GROUP_ID, artifactId, null, null);
    }

    /** {@inheritDoc} */
    @Override
    public boolean isRemote() {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return name;
    }

    /** {@inheritDoc} */
    @Override
    public URI getBaseUri() {
        return uri;
    }

    /** {@inheritDoc} */
    @Override
    public Metadata locate(MRL mrl) {
        return metadata;
    }

    /** {@inheritDoc} */
    @Override
    public Artifact resolve(MRL mrl, Map<String, String> filter) {
        List<Artifact> found = metadata.search(ai.djl.repository.VersionRange.parse(null), filter);
        return found.isEmpty() ? null : found.get(0);
    }

    /** {@inheritDoc} */
    @Override
    public InputStream openStream(Artifact.Item item, String path) throws IOException {
        throw new IOException("open the prepared model directory instead: " + uri);
    }

    /** {@inheritDoc} */
    @Override
    public Path getFile(Artifact.Item item, String path) throws IOException {
        throw new IOException("open the prepared model directory instead: " + uri);
    }

    /** {@inheritDoc} */
    @Override
    public String[] listDirectory(Artifact.Item item, String path) throws IOException {
        throw new IOException("open the prepared model directory instead: " + uri);
    }

    /** {@inheritDoc} */
    @Override
    public void prepare(Artifact artifact, Progress progress) throws IOException {
        Path dir = getResourceDirectory(artifact);
        if (Files.isDirectory(dir)) {
            return;
        }
        String dataset = artifact.getProperties().get("dataset");
        Map<String, byte[]> files = new ZooArtifact(artifactId, dataset).files();
        Path tmp = Files.createTempDirectory(getCacheDirectory(), "unpack");
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path target = tmp.resolve(f.getKey()).normalize();
            if (!target.startsWith(tmp)) {
                throw new IOException("unsafe entry " + f.getKey() + " in " + uri);
            }
            Files.write(target, f.getValue());
        }
        Files.createDirectories(dir.getParent());
        Files.move(tmp, dir);
    }

    /** {@inheritDoc} */
    @Override
    public Path getCacheDirectory() throws IOException {
        Path dir = Utils.getCacheDir().resolve("cache/repo/djl-flows");
        Files.createDirectories(dir);
        return dir;
    }

    /** {@inheritDoc} */
    @Override
    public Path getResourceDirectory(Artifact artifact) throws IOException {
        String dataset = artifact.getProperties().get("dataset");
        // keyed by the archive's digest, so a newer jar never reuses an older unpacked copy
        String key = versions.get(dataset);
        if (key == null) {
            InputStream in =
                    FlowsRepository.class
                            .getClassLoader()
                            .getResourceAsStream(new ZooArtifact(artifactId, dataset).resource());
            if (in == null) {
                throw new IOException(
                        "zoo artifact missing from the classpath: " + artifactId + "/" + dataset);
            }
            try (in) {
                key = ParamsLoading.sha256(in.readAllBytes()).substring(0, 16);
            }
            versions.put(dataset, key);
        }
        return getCacheDirectory().resolve(artifactId).resolve(dataset + "-" + key);
    }

    /** {@inheritDoc} */
    @Override
    public List<MRL> getResources() {
        return List.of(mrl);
    }

    /** {@inheritDoc} */
    @Override
    public void addResource(MRL mrl) {
        // one MRL per repository
    }
}
