package io.github.djlflows.zoo.translate;

import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.github.djlflows.core.NormalizingFlow;

/**
 * Maps rows to their latent codes z = f(x): {@code float[][]} to {@code float[][]}, flattened.
 *
 * <pre>{@code
 * float[][] z = predictor.predict(rows);
 * }</pre>
 */
public class EncodingTranslator implements NoBatchifyTranslator<float[][], float[][]> {

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, float[][] rows) {
        NormalizingFlow flow = Rows.flowOf(ctx.getBlock());
        return new NDList(Rows.toArray(ctx.getNDManager(), rows, flow));
    }

    /** {@inheritDoc} */
    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        return Rows.toRows(list.get(0));
    }
}
