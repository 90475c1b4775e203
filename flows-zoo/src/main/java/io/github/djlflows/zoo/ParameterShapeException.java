package io.github.djlflows.zoo;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.github.djlflows.core.NormalizingFlow;

/**
 * A params file whose parameters do not have the names and shapes the model directory's config
 * builds: a config edited after training, or a params file replaced (with a recorded digest to
 * match) by one of another width. DJL's {@code Parameter.load} takes each array's shape from the
 * file, so without this check the mismatch would first show in a native matrix product.
 *
 * <pre>{@code
 * try (Model model = ModelDirectory.load(dir, null)) { ... }
 * catch (ParameterShapeException e) { // names the parameter, the config's shape and the file's }
 * }</pre>
 */
public class ParameterShapeException extends MalformedModelException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was expected and what came
     */
    public ParameterShapeException(String message) {
        super(message);
    }

    /**
     * Checks a block whose parameters were just read from a file against the block its config
     * builds (initialised, in a scratch manager, with the config's event shape): same parameter
     * names in the same order, same shapes. Runs no computation on the loaded arrays.
     *
     * @param config the config the block was built from
     * @param loaded the block, its parameters loaded
     * @param source the params file, for the message
     * @throws ParameterShapeException naming the first parameter that differs, the config's shape
     *     and the file's
     */
    public static void check(FlowConfig config, Block loaded, String source)
            throws ParameterShapeException {
        String problem = mismatch(config, loaded);
        if (problem != null) {
            throw new ParameterShapeException(
                    "params file "
                            + source
                            + " does not fit its config (family "
                            + config.family
                            + ", "
                            + config.layers
                            + " layers, hidden "
                            + java.util.Arrays.toString(config.hidden)
                            + "): "
                            + problem);
        }
    }

    /**
     * The first difference between a block's parameters and those its config builds.
     *
     * @param config the config
     * @param block an initialised or loaded block
     * @return null when names and shapes agree, otherwise what differs (config first, then block)
     */
    static String mismatch(FlowConfig config, Block block) {
        NormalizingFlow rebuilt = FlowFactory.build(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            rebuilt.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(config.shape()));
            PairList<String, Parameter> want = rebuilt.getParameters();
            PairList<String, Parameter> got = block.getParameters();
            if (want.size() != got.size()) {
                return want.size() + " parameters from the config, " + got.size() + " in the file";
            }
            for (int i = 0; i < want.size(); i++) {
                Shape a = want.valueAt(i).getArray().getShape();
                Parameter p = got.valueAt(i);
                Shape b = p.isInitialized() ? p.getArray().getShape() : null;
                if (!want.keyAt(i).equals(got.keyAt(i)) || !a.equals(b)) {
                    return "parameter "
                            + i
                            + " is "
                            + want.keyAt(i)
                            + " "
                            + a
                            + " from the config, "
                            + got.keyAt(i)
                            + " "
                            + (b == null ? "without a value" : b)
                            + " in the file";
                }
            }
            return null;
        }
    }
}
