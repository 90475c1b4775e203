package io.github.djlflows.zoo.translate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.NormalizingFlow;
import java.util.Map;

/**
 * Draws samples: {@code Integer} (how many) to {@code float[][]} (one flattened sample per row).
 * Criteria arguments: {@code temperature} (scales the base sample, default 1; Glow uses T &lt; 1)
 * and {@code seed} (a fixed seed gives the same samples every call; default: the engine's RNG).
 *
 * <pre>{@code
 * float[][] samples = predictor.predict(64);
 * }</pre>
 */
public class SamplingTranslator implements NoBatchifyTranslator<Integer, float[][]> {

    private final double temperature;
    private final Long seed;

    /**
     * Creates the translator.
     *
     * @param arguments the criteria's arguments
     */
    public SamplingTranslator(Map<String, ?> arguments) {
        Object t = arguments.get("temperature");
        Object s = arguments.get("seed");
        temperature = t == null ? 1.0 : Double.parseDouble(t.toString());
        seed = s == null ? null : Long.valueOf(s.toString());
        Preconditions.checkArgument(temperature > 0, "temperature must be positive, got " + temperature);
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, Integer count) {
        Preconditions.checkArgument(count != null && count > 0, "sample count must be positive, got " + count);
        NormalizingFlow flow = Rows.flowOf(ctx.getBlock());
        ParameterStore ps = new ParameterStore(ctx.getNDManager(), false);
        DataType type = flow.dataType();
        NDArray z =
                seed == null
                        ? flow.getBase().sample(ps, ctx.getNDManager(), count, type)
                        : flow.getBase().sample(ps, ctx.getNDManager(), count, type, seed);
        if (temperature != 1.0) {
            z = z.mul(temperature); // inference only: no autograd keeps the Java scalar
        }
        return new NDList(z);
    }

    /** {@inheritDoc} */
    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        return Rows.toRows(list.get(0));
    }
}
