package io.github.djlflows.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.djl.util.Preconditions;
import java.util.SplittableRandom;

/**
 * A base density over events of a fixed shape, usable as the prior of a {@code NormalizingFlow}.
 *
 * <p>It is a DJL block so that learnable base distributions train and save with the model; its
 * {@code forward} maps {@code z} of shape (batch, event...) to {@code log p(z)} of shape (batch).
 * Sampling either uses the engine's random generator (seed it with {@code
 * Engine.getInstance().setRandomSeed}) or, given a seed, a Java generator, so the same seed always
 * gives the same samples on any engine or device.
 */
public abstract class Distribution extends AbstractBlock {

    protected final Shape eventShape;

    /**
     * Creates a distribution over events of the given shape.
     *
     * @param version the serialization version
     * @param eventShape the shape of one event, without the batch axis
     */
    protected Distribution(byte version, Shape eventShape) {
        super(version);
        Preconditions.checkArgument(
                eventShape.dimension() > 0 && eventShape.size() > 0,
                "the event shape must have at least one positive dimension, got " + eventShape);
        this.eventShape = eventShape;
    }

    /**
     * Returns the shape of one event.
     *
     * @return the event shape, without the batch axis
     */
    public Shape getEventShape() {
        return eventShape;
    }

    /**
     * Log-density of each sample.
     *
     * @param parameterStore the parameter store
     * @param z points of shape (batch, event...)
     * @param training true during training
     * @return log p(z) of shape (batch)
     */
    public abstract NDArray logProb(ParameterStore parameterStore, NDArray z, boolean training);

    /**
     * Draws {@code n} samples with the engine's random generator.
     *
     * @param parameterStore the parameter store
     * @param manager the manager that owns the result
     * @param n the number of samples
     * @param dataType the data type of the samples
     * @return samples of shape (n, event...)
     */
    public abstract NDArray sample(
            ParameterStore parameterStore, NDManager manager, long n, DataType dataType);

    /**
     * Draws {@code n} samples with a Java generator seeded by {@code seed}: the same seed gives the
     * same samples.
     *
     * @param parameterStore the parameter store
     * @param manager the manager that owns the result
     * @param n the number of samples
     * @param dataType the data type of the samples
     * @param seed the seed
     * @return samples of shape (n, event...)
     */
    public abstract NDArray sample(
            ParameterStore parameterStore, NDManager manager, long n, DataType dataType, long seed);

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        checkEvent(z);
        return new NDList(logProb(parameterStore, z, training));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }

    /**
     * Throws a clear error when {@code z} does not have shape (batch, event...).
     *
     * @param z the points to check
     */
    protected void checkEvent(NDArray z) {
        Shape shape = z.getShape();
        if (shape.dimension() != eventShape.dimension() + 1 || !shape.slice(1).equals(eventShape)) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName()
                            + " expects points of shape (batch, "
                            + eventShape.toString().replaceAll("[()]", "")
                            + "), got "
                            + shape);
        }
    }

    /**
     * Fills a shape (n, event...) with standard normal draws from a seeded Java generator.
     *
     * @param manager the manager that owns the result
     * @param n the number of samples
     * @param dataType the data type
     * @param seed the seed
     * @return the standard normal draws
     */
    protected NDArray seededNormal(NDManager manager, long n, DataType dataType, long seed) {
        SplittableRandom random = new SplittableRandom(seed); // all 64 bits (Random keeps 48)
        Shape shape = new Shape(n).addAll(eventShape);
        double[] values = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return manager.create(values, shape).toType(dataType, false);
    }

    /**
     * Fills a shape (n, event...) with uniform [0, 1) draws from a seeded Java generator.
     *
     * @param manager the manager that owns the result
     * @param n the number of samples
     * @param dataType the data type
     * @param seed the seed
     * @return the uniform draws
     */
    protected NDArray seededUniform(NDManager manager, long n, DataType dataType, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Shape shape = new Shape(n).addAll(eventShape);
        double[] values = new double[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        return manager.create(values, shape).toType(dataType, false);
    }

    /**
     * The shape (n, event...).
     *
     * @param n the number of samples
     * @return the batch shape
     */
    protected Shape batchShape(long n) {
        return new Shape(n).addAll(eventShape);
    }
}
