package io.github.djlflows.zoo.translate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.github.djlflows.core.NormalizingFlow;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Draws samples: {@code Integer} (how many) to {@code float[][]} (one flattened sample per row).
 * Criteria arguments: {@code temperature} (scales the base sample, a positive finite number,
 * default 1; Glow uses T &lt; 1) and {@code seed}. Without a seed every call draws from the
 * engine's generator; with seed {@code s}, the k-th call of this translator draws from a seed mixed
 * from {@code s} and {@code k}: calls differ, and a model loaded again with the same seed repeats
 * the same sequence. For a seed per call, use {@link SampleRequest} input.
 *
 * <pre>{@code
 * float[][] samples = predictor.predict(64);
 * }</pre>
 */
public class SamplingTranslator implements NoBatchifyTranslator<Integer, float[][]> {

    /** The most values (count times sample size) one call may draw. */
    public static final long MAX_VALUES = 1L << 28;

    private final double temperature;
    private final Long seed;
    private final AtomicLong calls = new AtomicLong();

    /**
     * Creates the translator.
     *
     * @param arguments the criteria's arguments
     * @throws IllegalArgumentException for a temperature or seed that is not a valid number
     */
    public SamplingTranslator(Map<String, ?> arguments) {
        temperature = temperature(arguments);
        Object s = arguments.get("seed");
        seed = s == null ? null : parseSeed(s);
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, Integer count) {
        Long callSeed = seed == null ? null : mix(seed, calls.getAndIncrement());
        return new NDList(draw(ctx, count, callSeed, temperature));
    }

    /** {@inheritDoc} */
    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        return Rows.toRows(list.get(0));
    }

    /** Base samples of the context's flow, scaled by the temperature. */
    static NDArray draw(TranslatorContext ctx, Integer count, Long seed, double temperature) {
        NormalizingFlow flow = Rows.flowOf(ctx.getBlock());
        long size = flow.getBase().getEventShape().size();
        if (count == null || count <= 0 || count * size > MAX_VALUES) {
            throw new IllegalArgumentException(
                    "sample count must be in 1.."
                            + Math.max(1, MAX_VALUES / size)
                            + " for samples of "
                            + size
                            + " values, got "
                            + count);
        }
        ParameterStore ps = new ParameterStore(ctx.getNDManager(), false);
        DataType type = flow.dataType();
        NDArray z =
                seed == null
                        ? flow.getBase().sample(ps, ctx.getNDManager(), count, type)
                        : flow.getBase().sample(ps, ctx.getNDManager(), count, type, seed);
        if (temperature != 1.0) {
            z = z.mul(temperature); // inference only: no autograd keeps the Java scalar
        }
        return z;
    }

    /** The {@code temperature} argument, checked. */
    static double temperature(Map<String, ?> arguments) {
        Object t = arguments.get("temperature");
        if (t == null) {
            return 1.0;
        }
        double value;
        try {
            value = Double.parseDouble(t.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "temperature must be a positive finite number, got '" + t + "'", e);
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    "temperature must be a positive finite number, got " + t);
        }
        return value;
    }

    private static long parseSeed(Object s) {
        try {
            return Long.parseLong(s.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed must be an integer, got '" + s + "'", e);
        }
    }

    /** A seed for call {@code k} of a translator seeded with {@code seed} (SplitMix64). */
    static long mix(long seed, long k) {
        long z = seed * 0x9E3779B97F4A7C15L + k + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
