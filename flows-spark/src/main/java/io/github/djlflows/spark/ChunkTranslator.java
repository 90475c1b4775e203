package io.github.djlflows.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.translate.SamplingBlock;

/**
 * One chunk of samples, {@code {seed, count}} to {@code count} samples flattened row after row:
 * the base draws from a Java generator seeded by the chunk's seed (never the engine's shared
 * generator), the model's block decodes them. A pure function of its input.
 */
final class ChunkTranslator implements NoBatchifyTranslator<long[], float[]> {

    private final double temperature;

    ChunkTranslator(double temperature) {
        this.temperature = temperature;
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, long[] seedAndCount) {
        NormalizingFlow flow = ((SamplingBlock) ctx.getBlock()).getFlow();
        ParameterStore ps = new ParameterStore(ctx.getNDManager(), false);
        NDArray z =
                flow.getBase()
                        .sample(ps, ctx.getNDManager(), seedAndCount[1], flow.dataType(), seedAndCount[0]);
        return new NDList(temperature == 1.0 ? z : z.mul(temperature));
    }

    /** {@inheritDoc} */
    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.get(0).toType(DataType.FLOAT32, false).toFloatArray();
    }
}
