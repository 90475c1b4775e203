package io.github.djlflows.spark;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.FlowsModelZoo;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.ZooArtifact;
import io.github.djlflows.zoo.train.LogDensityQuantiles;
import io.github.djlflows.zoo.translate.SamplingBlock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A flow loaded in this JVM: the scoring model (block: the {@code NormalizingFlow}), a sampling
 * view of the same parameters (block: {@code SamplingBlock}), the event shape, the column names
 * (its config's, else x0, x1, ...), the recorded metrics and the log-density quantiles. Lives as
 * long as the JVM; never serialized.
 */
final class LoadedFlowModel {

    private final Model model;
    private final Model sampling;
    private final NormalizingFlow flow;
    private final List<String> columns;
    private final FlowMetrics metrics;
    private final FlowConfig config;
    private LogDensityQuantiles quantiles;

    private LoadedFlowModel(
            Model model,
            NormalizingFlow flow,
            FlowMetrics metrics,
            FlowConfig config,
            LogDensityQuantiles quantiles) {
        this.model = model;
        this.flow = flow;
        this.metrics = metrics;
        this.config = config;
        this.quantiles = quantiles;
        String[] configColumns = config == null ? null : config.columns;
        this.sampling =
                Model.newInstance(model.getName() + "-sampling", model.getNDManager().getDevice());
        sampling.setBlock(new SamplingBlock(flow));
        long size = flow.getBase().getEventShape().size();
        List<String> names = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            names.add(configColumns != null ? configColumns[(int) i] : "x" + i);
        }
        this.columns = Collections.unmodifiableList(names);
    }

    /** The model whose predictors score (forward returns z, logDet, logProb). */
    Model scoringModel() {
        return model;
    }

    /** The model whose predictors decode latents (forward runs the flow's inverse). */
    Model samplingModel() {
        return sampling;
    }

    NormalizingFlow flow() {
        return flow;
    }

    Shape eventShape() {
        return flow.getBase().getEventShape();
    }

    int dimension() {
        return Math.toIntExact(eventShape().size());
    }

    /** One name per flattened value of a sample: the model's own, or x0, x1, ... */
    List<String> columns() {
        return columns;
    }

    /** The metrics recorded with the model, or null when it has none. */
    FlowMetrics metrics() {
        return metrics;
    }

    /**
     * The log-density quantiles a threshold is read from: the training rows' that {@code flows
     * train --input} stores with the model, else, for a model of a built-in dataset (a zoo
     * artifact), its held-out rows', computed once on first use as {@code flows score} does; null
     * when there are neither.
     *
     * @throws IOException if the built-in dataset cannot be read
     */
    synchronized LogDensityQuantiles quantiles() throws IOException {
        if (quantiles == null) {
            // a stored file was read at load (so a corrupt one fails there); this is the fallback
            quantiles = LogDensityQuantiles.storedOrHeldOut(null, flow, config);
        }
        return quantiles;
    }

    /**
     * Loads a model from its source.
     *
     * @param source where it is
     * @return the loaded model
     * @throws IOException if it cannot be read
     * @throws MalformedModelException if its files are invalid
     * @throws ModelNotFoundException if the zoo has no such artifact or DJL cannot load the URL
     */
    static LoadedFlowModel load(FlowModelSource source)
            throws IOException, MalformedModelException, ModelNotFoundException {
        if (source.getArtifact() != null) {
            ZooArtifact artifact = new FlowsModelZoo().find(source.getArtifact());
            Criteria<NDList, NDList> criteria =
                    criteria()
                            .optGroupId(FlowsModelZoo.GROUP_ID)
                            .optArtifactId(artifact.artifactId())
                            .optFilter("dataset", artifact.dataset())
                            .build();
            return fromModel(criteria.loadModel(), artifact.metrics(), artifact.config());
        }
        String location = source.getLocation();
        String scheme = ModelFiles.scheme(location);
        if (scheme != null && ModelFiles.DJL_SCHEMES.contains(scheme)) {
            return fromModel(criteria().optModelUrls(location).build().loadModel(), null, null);
        }
        Path dir = scheme == null ? Path.of(location) : ModelFiles.localCopy(location);
        return fromDirectory(dir);
    }

    /** A model directory ({@code ModelDirectory}: serving.properties, config, params, metrics). */
    private static LoadedFlowModel fromDirectory(Path dir)
            throws IOException, MalformedModelException, ModelNotFoundException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("model directory not found: " + dir.toAbsolutePath());
        }
        Path metricsFile = dir.resolve(ModelDirectory.METRICS);
        FlowMetrics metrics = null;
        if (Files.isRegularFile(metricsFile)) {
            try (InputStream in = Files.newInputStream(metricsFile)) {
                metrics = FlowMetrics.read(in, metricsFile.toString());
            }
        }
        return fromModel(criteria().optModelPath(dir).build().loadModel(), metrics, null);
    }

    /** Criteria for the raw outputs (z, logDet, logProb): the model's block is the flow itself. */
    private static Criteria.Builder<NDList, NDList> criteria() {
        return Criteria.builder().setTypes(NDList.class, NDList.class);
    }

    /** The model with its metrics and config (null: read from its directory where it has one). */
    private static LoadedFlowModel fromModel(Model model, FlowMetrics metrics, FlowConfig known)
            throws MalformedModelException {
        if (!(model.getBlock() instanceof NormalizingFlow)) {
            String got =
                    model.getBlock() == null ? "no block" : model.getBlock().getClass().getName();
            model.close();
            throw new MalformedModelException(
                    "expected a model whose block is a NormalizingFlow, got " + got);
        }
        NormalizingFlow flow = (NormalizingFlow) model.getBlock();
        Path dir = model.getModelPath();
        FlowConfig config = known;
        LogDensityQuantiles quantiles = null;
        if (dir != null && Files.isDirectory(dir)) {
            try {
                if (config == null) {
                    config = config(dir, flow.getBase().getEventShape().size());
                }
                if (Files.isRegularFile(dir.resolve(LogDensityQuantiles.FILE))) {
                    quantiles = LogDensityQuantiles.read(dir);
                }
            } catch (IOException | RuntimeException e) {
                model.close();
                throw new MalformedModelException(e.getMessage(), e);
            }
        }
        return new LoadedFlowModel(model, flow, metrics, config, quantiles);
    }

    /** The directory's config (null when it has none), its column names checked. */
    private static FlowConfig config(Path dir, long dimension) throws IOException {
        Path file = dir.resolve(ModelDirectory.CONFIG);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        FlowConfig config = FlowConfig.read(file);
        String[] columns = config.columns;
        if (columns != null && columns.length != dimension) {
            throw new IOException(
                    file
                            + " names "
                            + columns.length
                            + " columns, but the model takes "
                            + dimension
                            + " values per row");
        }
        return config;
    }
}
