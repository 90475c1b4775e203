package io.github.djlflows.zoo.cli;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowsModelZoo;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.ZooArtifact;
import java.io.IOException;
import java.nio.file.Path;

/** A flow opened for the command line, from a zoo artifact or from a model directory. */
final class LoadedFlow implements AutoCloseable {

    final Model model;
    final NormalizingFlow flow;
    final FlowConfig config;

    private LoadedFlow(Model model, NormalizingFlow flow, FlowConfig config) {
        this.model = model;
        this.flow = flow;
        this.config = config;
    }

    /** Opens {@code artifactId/dataset} from the zoo through DJL Criteria. */
    static LoadedFlow fromZoo(String name) throws IOException, MalformedModelException {
        ZooArtifact artifact = new FlowsModelZoo().find(name);
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optGroupId(FlowsModelZoo.GROUP_ID)
                        .optArtifactId(artifact.artifactId())
                        .optFilter("dataset", artifact.dataset())
                        .build();
        try {
            ZooModel<NDList, NDList> model = criteria.loadModel();
            return new LoadedFlow(model, (NormalizingFlow) model.getBlock(), artifact.config());
        } catch (ModelNotFoundException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Opens a model directory ({@link ModelDirectory}: written by flows train or Java). */
    static LoadedFlow fromDirectory(Path dir) throws IOException, MalformedModelException {
        Model model = ModelDirectory.load(dir, null);
        try {
            FlowConfig config = FlowConfig.read(dir.resolve(ModelDirectory.CONFIG));
            return new LoadedFlow(model, (NormalizingFlow) model.getBlock(), config);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Opens either source; exactly one must be given. */
    static LoadedFlow open(String artifact, Path dir) throws IOException, MalformedModelException {
        if ((artifact == null) == (dir == null)) {
            throw new IllegalArgumentException("give exactly one of --artifact or --model");
        }
        return artifact != null ? fromZoo(artifact) : fromDirectory(dir);
    }

    @Override
    public void close() {
        model.close();
    }
}
