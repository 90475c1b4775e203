package io.github.djlflows.core.testing;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowBlock;
import java.util.function.Supplier;

/**
 * One layer configuration checked by the shared contract test.
 *
 * @param name a readable name for the test report
 * @param factory builds a fresh, uninitialized layer (called again for the save/load check)
 * @param eventShape the shape of one sample
 * @param contextSize the context size, 0 for none
 * @param batchIndependent whether a sample's output must not depend on its batch mates
 * @param inputScale the standard deviation of the random inputs
 * @param inputShift added to the random inputs (for layers with a restricted domain)
 */
public record FlowCase(
        String name,
        Supplier<FlowBlock> factory,
        Shape eventShape,
        long contextSize,
        boolean batchIndependent,
        double inputScale,
        double inputShift) {

    /**
     * A vector or image layer without context, batch independent, standard normal inputs.
     *
     * @param name the name
     * @param factory the factory
     * @param eventShape the event shape
     * @return the case
     */
    public static FlowCase of(String name, Supplier<FlowBlock> factory, Shape eventShape) {
        return new FlowCase(name, factory, eventShape, 0, true, 1.0, 0.0);
    }

    /**
     * The same case with a context.
     *
     * @param size the context size
     * @return the case
     */
    public FlowCase withContext(long size) {
        return new FlowCase(name, factory, eventShape, size, batchIndependent, inputScale, inputShift);
    }

    /**
     * The same case, marked as depending on batch mates in training mode.
     *
     * @return the case
     */
    public FlowCase batchDependent() {
        return new FlowCase(name, factory, eventShape, contextSize, false, inputScale, inputShift);
    }

    /**
     * The same case with inputs drawn as {@code shift + scale * N(0, 1)}.
     *
     * @param scale the standard deviation
     * @param shift the mean
     * @return the case
     */
    public FlowCase withInputs(double scale, double shift) {
        return new FlowCase(name, factory, eventShape, contextSize, batchIndependent, scale, shift);
    }

    @Override
    public String toString() {
        return name;
    }
}
