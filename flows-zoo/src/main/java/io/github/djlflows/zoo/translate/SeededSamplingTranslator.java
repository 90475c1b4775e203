package io.github.djlflows.zoo.translate;

import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.Map;

/**
 * Draws samples with a seed per call: {@link SampleRequest} to {@code float[][]}. The same seed
 * repeats its samples, another seed (even {@code s + 1}) gives others, a null seed uses the
 * engine's generator. Criteria argument {@code temperature} as for {@link SamplingTranslator}.
 *
 * <pre>{@code
 * float[][] rows = predictor.predict(new SampleRequest(100, partitionId));
 * }</pre>
 */
public class SeededSamplingTranslator implements NoBatchifyTranslator<SampleRequest, float[][]> {

    private final double temperature;

    /**
     * Creates the translator.
     *
     * @param arguments the criteria's arguments
     */
    public SeededSamplingTranslator(Map<String, ?> arguments) {
        temperature = SamplingTranslator.temperature(arguments);
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, SampleRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("expected a SampleRequest, got null");
        }
        Long seed = request.seed() == null ? null : SamplingTranslator.mix(request.seed(), 0);
        return new NDList(SamplingTranslator.draw(ctx, request.count(), seed, temperature));
    }

    /** {@inheritDoc} */
    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        return Rows.toRows(list.get(0));
    }
}
