package io.github.djlflows.spark;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * A batch of rows, flattened row after row into one {@code float[]}, to their log-densities as
 * doubles (the flow's values, widened exactly).
 */
final class RowsTranslator implements NoBatchifyTranslator<float[], double[]> {

    private final Shape eventShape;
    private final long size;

    RowsTranslator(Shape eventShape) {
        this.eventShape = eventShape;
        this.size = eventShape.size();
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, float[] flat) {
        long n = flat.length / size;
        return new NDList(ctx.getNDManager().create(flat, new Shape(n).addAll(eventShape)));
    }

    /** {@inheritDoc} */
    @Override
    public double[] processOutput(TranslatorContext ctx, NDList list) {
        return list.get(2).toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
