package io.github.djlflows.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * The maximum-likelihood loss of a normalizing flow: {@code -mean(log p_Z(z) + log|det dz/dx|)},
 * read from the {@code logProb} output of a {@link io.github.djlflows.core.NormalizingFlow} (its
 * third output). Labels are ignored, so placeholder labels work with {@code EasyTrain.fit}.
 *
 * <p>By default a non-finite loss stops training with a {@link NonFiniteLossException} naming the
 * value, instead of letting NaN spread silently into the parameters.
 *
 * <pre>{@code
 * DefaultTrainingConfig config = new DefaultTrainingConfig(new NegativeLogLikelihood());
 * }</pre>
 */
public class NegativeLogLikelihood extends Loss {

    private final boolean checkFinite;
    private long evaluations;
    private double lastValue = Double.NaN;

    /** Creates the loss named "nll" that stops on a non-finite value. */
    public NegativeLogLikelihood() {
        this("nll", true);
    }

    /**
     * Creates the loss.
     *
     * @param name the display name
     * @param checkFinite whether a NaN or infinite loss throws (one host read per batch)
     */
    public NegativeLogLikelihood(String name, boolean checkFinite) {
        super(name);
        this.checkFinite = checkFinite;
    }

    /**
     * The value of the latest evaluation, for progress displays (NaN before the first, or when the
     * finite check is off).
     *
     * @return the latest loss value
     */
    public double getLastValue() {
        return lastValue;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions.size() < 3) {
            throw new IllegalArgumentException(
                    "NegativeLogLikelihood expects the outputs of a NormalizingFlow (z, logDet,"
                            + " logProb), got "
                            + predictions.size()
                            + " arrays");
        }
        NDArray loss = predictions.get(2).mean().neg();
        evaluations++;
        if (checkFinite) {
            double value = loss.toType(DataType.FLOAT64, false).getDouble();
            lastValue = value;
            if (!Double.isFinite(value)) {
                throw new NonFiniteLossException(
                        "the negative log-likelihood became "
                                + value
                                + " at evaluation "
                                + evaluations
                                + ": training stopped. Lower the learning rate, bound the scales,"
                                + " or check the data for NaN/Inf");
            }
        }
        return loss;
    }
}
