package io.github.djlflows.zoo.translate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.github.djlflows.core.NormalizingFlow;

/**
 * The raw {@code NDList -> NDList} translator of flow models: the input {@code (x [, context])}
 * goes to the flow unchanged and its outputs {@code (z, logDet, logProb)} come back. Unlike DJL's
 * {@code NoopTranslator} it checks what the flow needs first: at least one array, of the model's
 * data type, shaped {@code (batch, event...)}.
 *
 * <pre>{@code
 * NDList out = predictor.predict(new NDList(x)); // out.get(2): log p(x)
 * }</pre>
 */
public class RawTranslator implements NoBatchifyTranslator<NDList, NDList> {

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, NDList input) {
        if (input == null || input.isEmpty()) {
            throw new IllegalArgumentException(
                    "expected an NDList holding x (batch, event...) [and a context], got an empty one");
        }
        NormalizingFlow flow = flowOrNull(ctx);
        if (flow == null) {
            return input;
        }
        NDArray x = input.get(0);
        DataType want = flow.dataType();
        if (want != null && x.getDataType() != want) {
            throw new IllegalArgumentException(
                    "the model's parameters are "
                            + want
                            + ", got input of "
                            + x.getDataType()
                            + "; convert with x.toType(DataType."
                            + want.name()
                            + ", false)");
        }
        Shape event = flow.getBase().getEventShape();
        Shape shape = x.getShape();
        boolean fits = shape.dimension() == event.dimension() + 1 && shape.slice(1).equals(event);
        if (!fits) {
            throw new IllegalArgumentException(
                    "expected x of shape (batch, "
                            + event.toString().replaceAll("[()]", "")
                            + "), got "
                            + shape);
        }
        return input;
    }

    /** {@inheritDoc} */
    @Override
    public NDList processOutput(TranslatorContext ctx, NDList list) {
        return list;
    }

    private static NormalizingFlow flowOrNull(TranslatorContext ctx) {
        try {
            return Rows.flowOf(ctx.getBlock());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
