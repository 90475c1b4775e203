package io.github.djlflows.zoo;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.repository.MRL;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.Translator;
import ai.djl.util.Progress;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.translate.DensityTranslator;
import io.github.djlflows.zoo.translate.EncodingTranslator;
import io.github.djlflows.zoo.translate.ImageSamplingTranslator;
import io.github.djlflows.zoo.translate.SamplingBlock;
import io.github.djlflows.zoo.translate.SamplingTranslator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads one family of zoo artifacts (one artifact id) straight from the classpath: the config
 * rebuilds the block, then the parameters stream in; nothing is extracted or downloaded.
 *
 * <p>Translators, chosen by the criteria's types and its {@code translator} argument:
 *
 * <ul>
 *   <li>{@code float[][] -> float[]} (default, or {@code translator=score}): log-density of each
 *       row (flattened samples), for anomaly scoring;
 *   <li>{@code float[][] -> float[][]} with {@code translator=encode}: latent codes;
 *   <li>{@code Integer -> float[][]} ({@code translator=sample}): that many samples, flattened;
 *       arguments {@code temperature} (default 1) and {@code seed} (default random);
 *   <li>{@code Integer -> Image[]}: image samples as DJL images (image models);
 *   <li>{@code NDList -> NDList}: the raw outputs (z, logDet, logProb).
 * </ul>
 */
public class FlowModelLoader implements ModelLoader {

    private final String artifactId;
    private final List<ZooArtifact> artifacts;
    private final MRL mrl;

    /**
     * Creates the loader.
     *
     * @param artifactId the artifact id
     * @param artifacts the artifacts of this id, one per dataset
     */
    public FlowModelLoader(String artifactId, List<ZooArtifact> artifacts) {
        this.artifactId = artifactId;
        this.artifacts = artifacts;
        Repository repository = Repository.newInstance("djl-flows", Paths.get("."));
        this.mrl = MRL.undefined(repository, FlowsModelZoo.GROUP_ID, artifactId);
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
        return Application.UNDEFINED;
    }

    /** {@inheritDoc} */
    @Override
    public MRL getMrl() {
        return mrl;
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
        Translator<I, O> translator = translator(criteria);
        FlowConfig config = artifact.config();
        NormalizingFlow flow;
        try {
            flow = FlowFactory.build(config);
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException(artifact.resource("config.json") + ": " + e.getMessage(), e);
        }
        Model model = Model.newInstance(artifact.name(), criteria.getDevice());
        model.setBlock(flow);
        try (InputStream in = artifact.open("model.params")) {
            ParamsLoading.load(
                    model, in, artifact.resource("model.params"), artifact.metrics().paramsSha256);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw e;
        }
        if (translator instanceof SamplingTranslator || translator instanceof ImageSamplingTranslator) {
            model.setBlock(new SamplingBlock(flow));
        }
        return new ZooModel<>(model, translator);
    }

    private ZooArtifact select(Map<String, String> filters) throws ModelNotFoundException {
        String dataset = filters == null ? null : filters.get("dataset");
        List<String> known = new ArrayList<>();
        for (ZooArtifact a : artifacts) {
            known.add(a.dataset());
            if (dataset == null || dataset.equals(a.dataset())) {
                return a;
            }
        }
        throw new ModelNotFoundException(
                "no " + artifactId + " artifact for dataset '" + dataset + "', known: " + known);
    }

    @SuppressWarnings("unchecked")
    private static <I, O> Translator<I, O> translator(Criteria<I, O> criteria)
            throws ModelNotFoundException {
        Class<I> in = criteria.getInputClass();
        Class<O> out = criteria.getOutputClass();
        Map<String, Object> arguments =
                criteria.getArguments() == null ? Map.of() : criteria.getArguments();
        Object kind = arguments.get("translator");
        if (in == NDList.class && out == NDList.class) {
            return (Translator<I, O>) new NoopTranslator();
        }
        if (in == float[][].class && out == float[].class && (kind == null || "score".equals(kind))) {
            return (Translator<I, O>) new DensityTranslator();
        }
        if (in == float[][].class && out == float[][].class && "encode".equals(kind)) {
            return (Translator<I, O>) new EncodingTranslator();
        }
        if (in == Integer.class && out == Image[].class) {
            return (Translator<I, O>) new ImageSamplingTranslator(arguments);
        }
        if (in == Integer.class && out == float[][].class && (kind == null || "sample".equals(kind))) {
            return (Translator<I, O>) new SamplingTranslator(arguments);
        }
        throw new ModelNotFoundException(
                "DJL Flows zoo has no translator for "
                        + (in == null ? "null" : in.getSimpleName())
                        + " -> "
                        + (out == null ? "null" : out.getSimpleName())
                        + (kind == null ? "" : " (translator=" + kind + ")")
                        + "; supported: float[][]->float[] (score), float[][]->float[][]"
                        + " (translator=encode), Integer->float[][] (sample), Integer->Image[]"
                        + " (image sample), NDList->NDList");
    }
}
