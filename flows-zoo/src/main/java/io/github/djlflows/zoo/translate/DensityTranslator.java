package io.github.djlflows.zoo.translate;

import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.github.djlflows.core.NormalizingFlow;

/**
 * Scores rows by their log-density under the flow: {@code float[][]} (one flattened sample per row)
 * to {@code float[]} log p(x) in nats. Low scores flag anomalies.
 *
 * <pre>{@code
 * float[] logProb = predictor.predict(new float[][] {{0.1f, 0.4f}});
 * }</pre>
 */
public class DensityTranslator implements NoBatchifyTranslator<float[][], float[]> {

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, float[][] rows) {
        NormalizingFlow flow = Rows.flowOf(ctx.getBlock());
        return new NDList(Rows.toArray(ctx.getNDManager(), rows, flow));
    }

    /** {@inheritDoc} */
    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.get(2).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }
}
