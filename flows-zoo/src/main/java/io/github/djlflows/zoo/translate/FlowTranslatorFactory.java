package io.github.djlflows.zoo.translate;

import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import io.github.djlflows.core.NormalizingFlow;
import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DJL {@link TranslatorFactory} of DJL Flows models (named in every model directory's {@code
 * serving.properties}, used by the zoo): picks a translator by the criteria's types and its {@code
 * translator} argument.
 *
 * <ul>
 *   <li>{@code float[][] -> float[]} ({@code translator} unset or {@code score}): log-density of
 *       each row (a flattened sample), in nats;
 *   <li>{@code float[][] -> float[][]} with {@code translator=encode}: latent codes;
 *   <li>{@code Integer -> float[][]}: that many samples, flattened; {@code SampleRequest ->
 *       float[][]}: samples with a seed of the call's own; {@code Integer -> Image[]}: image
 *       samples (arguments {@code temperature}, {@code seed}: see {@link SamplingTranslator});
 *   <li>{@code NDList -> NDList}: the raw outputs (z, logDet, logProb).
 * </ul>
 *
 * <p>A sampling translator puts a {@link SamplingBlock} around the model's flow, so a model loaded
 * for sampling samples with every predictor.
 *
 * <pre>{@code
 * Criteria.builder().setTypes(float[][].class, float[].class)
 *         .optModelPath(dir).optTranslatorFactory(new FlowTranslatorFactory()).build();
 * }</pre>
 */
public class FlowTranslatorFactory implements TranslatorFactory {

    /** The values of the {@code translator} argument. */
    public static final List<String> KINDS = List.of("score", "encode", "sample");

    private static final Set<Pair<Type, Type>> TYPES = types();

    /** {@inheritDoc} */
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return TYPES;
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        Map<String, ?> args = arguments == null ? Map.of() : arguments;
        Object kind = args.get("translator");
        if (kind != null && !KINDS.contains(kind.toString())) {
            throw new TranslateException(
                    "unknown translator '" + kind + "', expected one of " + KINDS);
        }
        Translator<?, ?> translator = null;
        boolean sampling = false;
        if (input == NDList.class && output == NDList.class) {
            translator = new RawTranslator();
        } else if (input == float[][].class && output == float[].class && is(kind, "score")) {
            translator = new DensityTranslator();
        } else if (input == float[][].class && output == float[][].class && "encode".equals(kind)) {
            translator = new EncodingTranslator();
        } else if (input == Integer.class && output == Image[].class && is(kind, "sample")) {
            translator = new ImageSamplingTranslator(args);
            sampling = true;
        } else if (input == Integer.class && output == float[][].class && is(kind, "sample")) {
            translator = new SamplingTranslator(args);
            sampling = true;
        } else if (input == SampleRequest.class
                && output == float[][].class
                && is(kind, "sample")) {
            translator = new SeededSamplingTranslator(args);
            sampling = true;
        }
        if (translator == null) {
            throw new TranslateException(unsupported(input, output, kind));
        }
        if (sampling && model != null) {
            Block block = model.getBlock();
            if (block instanceof NormalizingFlow) {
                model.setBlock(new SamplingBlock((NormalizingFlow) block));
            }
        }
        return (Translator<I, O>) translator;
    }

    /**
     * The message for types this factory has no translator for.
     *
     * @param input the input class
     * @param output the output class
     * @param kind the {@code translator} argument, or null
     * @return the message, listing what is supported
     */
    public static String unsupported(Class<?> input, Class<?> output, Object kind) {
        return "DJL Flows has no translator for "
                + (input == null ? "null" : input.getSimpleName())
                + " -> "
                + (output == null ? "null" : output.getSimpleName())
                + (kind == null ? "" : " (translator=" + kind + ")")
                + "; supported: float[][]->float[] (score), float[][]->float[][]"
                + " (translator=encode), Integer->float[][] and SampleRequest->float[][]"
                + " (sample), Integer->Image[] (image sample), NDList->NDList";
    }

    private static boolean is(Object kind, String wanted) {
        return kind == null || wanted.equals(kind.toString());
    }

    private static Set<Pair<Type, Type>> types() {
        Set<Pair<Type, Type>> set = new LinkedHashSet<>();
        set.add(new Pair<>(float[][].class, float[].class));
        set.add(new Pair<>(float[][].class, float[][].class));
        set.add(new Pair<>(Integer.class, float[][].class));
        set.add(new Pair<>(SampleRequest.class, float[][].class));
        set.add(new Pair<>(Integer.class, Image[].class));
        set.add(new Pair<>(NDList.class, NDList.class));
        return java.util.Collections.unmodifiableSet(set);
    }
}
