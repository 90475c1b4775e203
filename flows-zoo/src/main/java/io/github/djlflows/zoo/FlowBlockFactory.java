package io.github.djlflows.zoo;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.github.djlflows.core.NormalizingFlow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The DJL {@link BlockFactory} named by a model directory's {@code serving.properties}: rebuilds
 * the uninitialised flow from the directory's {@code config.json}, checks the params against the
 * SHA-256 recorded in {@code metrics.json} and their parameter shapes against the config ({@link
 * ParameterShapeException}), so DJL's loader ({@code Criteria.optModelPath}, DJL Serving) can then
 * load the params into it.
 *
 * <pre>{@code
 * Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(dir).build().loadModel();
 * }</pre>
 */
public class FlowBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        Path dir = java.nio.file.Files.isRegularFile(modelPath) ? modelPath.getParent() : modelPath;
        FlowConfig config = FlowConfig.read(dir.resolve(ModelDirectory.CONFIG));
        String source = dir.resolve(ModelDirectory.CONFIG).toString();
        try {
            byte[] params = ModelDirectory.verifiedParams(dir, model.getName());
            checkShapes(config, source, params, model.getName());
            return build(config, source);
        } catch (MalformedModelException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * DJL loads the params into the returned block itself, after this factory and before any
     * translator; so the names and shapes are checked here, on a scratch copy, before DJL's load.
     */
    private static void checkShapes(FlowConfig config, String source, byte[] params, String name)
            throws MalformedModelException {
        try (Model scratch = Model.newInstance(name)) {
            NormalizingFlow flow = build(config, source);
            scratch.setBlock(flow);
            ParamsLoading.load(scratch, new java.io.ByteArrayInputStream(params), name);
            ParameterShapeException.check(config, flow, name + " (" + source + ")");
        }
    }

    /**
     * Builds the flow a config describes, naming the config's source in errors.
     *
     * @param config the config
     * @param source where it came from
     * @return the uninitialised flow
     * @throws MalformedModelException if the config does not describe a valid flow
     */
    public static NormalizingFlow build(FlowConfig config, String source)
            throws MalformedModelException {
        try {
            return FlowFactory.build(config);
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException(source + ": " + e.getMessage(), e);
        }
    }
}
