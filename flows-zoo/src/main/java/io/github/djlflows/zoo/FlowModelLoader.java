package io.github.djlflows.zoo;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Progress;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.translate.FlowTranslatorFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads one family of zoo artifacts (one artifact id) straight from the classpath: the archive's
 * config rebuilds the block, its params are checked against the recorded SHA-256 and stream in;
 * nothing is extracted or downloaded.
 *
 * <p>The only filter is {@code dataset}; an unknown filter key or value is a {@link
 * ModelNotFoundException} listing the valid ones. The translator comes from the criteria's {@code
 * optTranslator} / {@code optTranslatorFactory} when given, else from {@link FlowTranslatorFactory}
 * (types and {@code translator} argument as documented there).
 */
public class FlowModelLoader implements ModelLoader {

    /** The filter keys the zoo understands. */
    public static final List<String> FILTERS = List.of("dataset");

    private final String artifactId;
    private final Application application;
    private final List<ZooArtifact> artifacts;
    private final MRL mrl;

    /**
     * Creates the loader.
     *
     * @param artifactId the artifact id
     * @param application the application of every artifact of this id
     * @param artifacts the artifacts of this id, one per dataset
     */
    public FlowModelLoader(
            String artifactId, Application application, List<ZooArtifact> artifacts) {
        this.artifactId = artifactId;
        this.application = application;
        this.artifacts = List.copyOf(artifacts);
        // the zoo's own repository of this id: a file repository would walk the working
        // directory's whole tree on creation (DJL's local factory looks for metadata.json files)
        FlowsRepository repository =
                new FlowsRepository(
                        "djl-flows",
                        URI.create("djl://" + FlowsModelZoo.GROUP_ID + "/" + artifactId),
                        artifactId,
                        artifacts);
        this.mrl =
                MRL.model(repository, application, FlowsModelZoo.GROUP_ID, artifactId, null, null);
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return FlowsModelZoo.GROUP_ID;
    }

    /** {@inheritDoc} */
    @Override
    public String getArtifactId() {
        return artifactId;
    }

    /** {@inheritDoc} */
    @Override
    public Application getApplication() {
        return application;
    }

    /** {@inheritDoc} */
    @Override
    public MRL getMrl() {
        return mrl;
    }

    /**
     * The artifacts of this id.
     *
     * @return one per dataset
     */
    public List<ZooArtifact> getArtifacts() {
        return artifacts;
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) {
        // artifacts ship inside the jar
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        ZooArtifact artifact = select(criteria.getFilters());
        TranslatorFactory factory = criteria.getTranslatorFactory();
        if (factory == null) {
            factory = new FlowTranslatorFactory();
        }
        Class<I> in = criteria.getInputClass();
        Class<O> out = criteria.getOutputClass();
        if (!factory.isSupported(in, out)) {
            throw new ModelNotFoundException(FlowTranslatorFactory.unsupported(in, out, null));
        }
        Map<String, byte[]> files = artifact.files();
        FlowConfig config;
        try (InputStream cfg = stream(files, artifact, ModelDirectory.CONFIG)) {
            config = FlowConfig.read(cfg, artifact.resource(ModelDirectory.CONFIG));
        }
        FlowMetrics metrics;
        try (InputStream m = stream(files, artifact, ModelDirectory.METRICS)) {
            metrics = FlowMetrics.read(m, artifact.resource(ModelDirectory.METRICS));
        }
        NormalizingFlow flow =
                FlowBlockFactory.build(config, artifact.resource(ModelDirectory.CONFIG));
        Model model = Model.newInstance(artifact.modelName(), criteria.getDevice());
        model.setBlock(flow);
        try (InputStream params = stream(files, artifact, artifact.paramsFile())) {
            ParamsLoading.load(
                    model, params, artifact.resource(artifact.paramsFile()), metrics.paramsSha256);
            ParameterShapeException.check(config, flow, artifact.resource(artifact.paramsFile()));
            Map<String, Object> arguments =
                    criteria.getArguments() == null ? Map.of() : criteria.getArguments();
            Translator<I, O> translator = factory.newInstance(in, out, model, arguments);
            if (translator == null) {
                throw new ModelNotFoundException(FlowTranslatorFactory.unsupported(in, out, null));
            }
            return new ZooModel<>(model, translator);
        } catch (TranslateException e) {
            model.close();
            throw new ModelNotFoundException(e.getMessage(), e);
        } catch (IOException
                | MalformedModelException
                | ModelNotFoundException
                | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static InputStream stream(Map<String, byte[]> files, ZooArtifact artifact, String file)
            throws IOException {
        byte[] bytes = files.get(file);
        if (bytes == null) {
            throw new IOException("zoo artifact file missing: " + artifact.resource(file));
        }
        return new ByteArrayInputStream(bytes);
    }

    private ZooArtifact select(Map<String, String> filters) throws ModelNotFoundException {
        List<String> known = new ArrayList<>();
        artifacts.forEach(a -> known.add(a.dataset()));
        if (filters != null) {
            for (String key : filters.keySet()) {
                if (!FILTERS.contains(key)) {
                    throw new ModelNotFoundException(
                            "unknown filter '"
                                    + key
                                    + "' for "
                                    + FlowsModelZoo.GROUP_ID
                                    + ":"
                                    + artifactId
                                    + ", valid filters: "
                                    + FILTERS
                                    + " (dataset one of "
                                    + known
                                    + ")");
                }
            }
        }
        String dataset = filters == null ? null : filters.get("dataset");
        for (ZooArtifact a : artifacts) {
            if (dataset == null || dataset.equals(a.dataset())) {
                return a;
            }
        }
        throw new ModelNotFoundException(
                "no " + artifactId + " artifact for dataset '" + dataset + "', known: " + known);
    }
}
