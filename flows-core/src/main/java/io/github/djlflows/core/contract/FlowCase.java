package io.github.djlflows.core.contract;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowBlock;
import java.util.function.Supplier;

/**
 * One layer configuration checked by {@link FlowContract}.
 *
 * <pre>{@code
 * FlowCase flowCase = FlowCase.of("RandomPermutation", () -> new RandomPermutation(7), new Shape(5))
 *         .reloadInto(() -> new RandomPermutation(8)); // save/load must restore the saved order
 * FlowContract.check(flowCase);
 * }</pre>
 *
 * @param name a readable name for reports
 * @param factory builds a fresh, uninitialized layer
 * @param eventShape the shape of one sample
 * @param contextSize the context size, 0 for none
 * @param batchIndependent whether a sample's output must not depend on its batch mates
 * @param inputScale the standard deviation of the random inputs
 * @param inputShift added to the random inputs (for layers with a restricted domain)
 * @param reloadFactory builds the layer that a saved one is loaded into: the same configuration
 *     with a different seed where the layer takes one (the engine's seed is changed too)
 * @param analyticInverse whether gradients are checked through the inverse direction as well
 */
public record FlowCase(
        String name,
        Supplier<FlowBlock> factory,
        Shape eventShape,
        long contextSize,
        boolean batchIndependent,
        double inputScale,
        double inputShift,
        Supplier<FlowBlock> reloadFactory,
        boolean analyticInverse) {

    /**
     * A layer without context, batch independent, standard normal inputs, reloaded into a block
     * from the same factory (under another engine seed), gradients checked in both directions.
     *
     * @param name the name
     * @param factory the layer factory
     * @param eventShape the shape of one sample
     * @return the case
     */
    public static FlowCase of(String name, Supplier<FlowBlock> factory, Shape eventShape) {
        return new FlowCase(name, factory, eventShape, 0, true, 1.0, 0.0, factory, true);
    }

    /**
     * The same case with a context of the given size.
     *
     * @param size the context size
     * @return a new case
     */
    public FlowCase withContext(long size) {
        return new FlowCase(
                name,
                factory,
                eventShape,
                size,
                batchIndependent,
                inputScale,
                inputShift,
                reloadFactory,
                analyticInverse);
    }

    /**
     * The same case for a layer whose outputs depend on the batch (batch norm in training).
     *
     * @return a new case
     */
    public FlowCase batchDependent() {
        return new FlowCase(
                name,
                factory,
                eventShape,
                contextSize,
                false,
                inputScale,
                inputShift,
                reloadFactory,
                analyticInverse);
    }

    /**
     * The same case with inputs {@code N(0, scale^2) + shift}.
     *
     * @param scale the standard deviation
     * @param shift the offset
     * @return a new case
     */
    public FlowCase withInputs(double scale, double shift) {
        return new FlowCase(
                name,
                factory,
                eventShape,
                contextSize,
                batchIndependent,
                scale,
                shift,
                reloadFactory,
                analyticInverse);
    }

    /**
     * The same case, reloaded into blocks from {@code reload}: the same configuration with another
     * seed, so a layer that ignores its saved state fails.
     *
     * @param reload the factory of the block a saved layer is loaded into
     * @return a new case
     */
    public FlowCase reloadInto(Supplier<FlowBlock> reload) {
        return new FlowCase(
                name,
                factory,
                eventShape,
                contextSize,
                batchIndependent,
                inputScale,
                inputShift,
                reload,
                analyticInverse);
    }

    /**
     * The same case for a layer whose inverse is numerical (planar, radial): no gradient check
     * through the inverse.
     *
     * @return a new case
     */
    public FlowCase numericalInverse() {
        return new FlowCase(
                name,
                factory,
                eventShape,
                contextSize,
                batchIndependent,
                inputScale,
                inputShift,
                reloadFactory,
                false);
    }

    @Override
    public String toString() {
        return name;
    }
}
