package io.github.djlflows.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.NormalizingFlow;

/**
 * Variational inference with a flow: the reverse Kullback-Leibler loss of a flow q to an
 * unnormalised target p̃ = Z p ({@link LogDensity}), estimated from reparameterised samples of q (x
 * = f⁻¹(ε), ε from the base, so the gradient flows through the sample into the flow).
 *
 * <pre>
 * x_i ~ q (n draws, or one per context row)
 * loss = mean_i [ log q(x_i) - log p̃(x_i) ]  ≈  KL(q ‖ p) - log Z  =  -ELBO
 * </pre>
 *
 * <p>So the loss is the negative evidence lower bound: minimising it fits q to p, and at the
 * optimum its mean is -log Z. With a context (a conditional flow q(x | c) and a target p̃(x | c)),
 * it trains an amortised posterior: one flow for every observation c. Cost: one generative pass of
 * q per draw (the flow's {@link NormalizingFlow.SampleLogProb}; cheap for IAF layers), one
 * evaluation of the target, and one host read of the loss: a NaN or infinite loss throws a {@link
 * NonFiniteLossException} saying how many draws had a non-finite log q or target, instead of
 * reaching the parameters. Call it inside a {@code GradientCollector} and step the trainer.
 *
 * <p>Reference: Rezende and Mohamed, "Variational Inference with Normalizing Flows", ICML 2015.
 *
 * <pre>{@code
 * try (GradientCollector gc = trainer.newGradientCollector()) {
 *     NDArray loss = ReverseKl.loss(flow, target, manager, 256);
 *     gc.backward(loss);
 * }
 * trainer.step();
 * }</pre>
 */
public final class ReverseKl {

    private ReverseKl() {}

    /**
     * The loss of n draws from an unconditional flow.
     *
     * @param q the flow, initialised
     * @param target the unnormalised target
     * @param manager the manager of the draws and the loss
     * @param n the number of draws, positive
     * @return the scalar loss, -ELBO
     * @throws IllegalArgumentException for n &lt; 1 or a target that returns another shape
     * @throws NonFiniteLossException if the loss is NaN or infinite
     */
    public static NDArray loss(NormalizingFlow q, LogDensity target, NDManager manager, long n) {
        Preconditions.checkArgument(n >= 1, "draws must be positive, got " + n);
        NDList drawn = q.sampleWithLogProb(manager, n);
        return mean(drawn, target.logDensity(drawn.get(0), null), n);
    }

    /**
     * The loss of one draw per context row from a conditional flow (an amortised posterior).
     *
     * @param q the conditional flow, initialised
     * @param target the unnormalised target given the context
     * @param context the context rows, (batch, contextSize)
     * @return the scalar loss, the mean of -ELBO over the rows
     * @throws IllegalArgumentException for a flow that takes no context or a target that returns
     *     another shape
     * @throws NonFiniteLossException if the loss is NaN or infinite
     */
    public static NDArray loss(NormalizingFlow q, LogDensity target, NDArray context) {
        NDList drawn = q.sampleWithLogProb(context);
        return mean(drawn, target.logDensity(drawn.get(0), context), context.getShape().get(0));
    }

    private static NDArray mean(NDList drawn, NDArray logTarget, long n) {
        Preconditions.checkArgument(
                logTarget.getShape().equals(new Shape(n)),
                "the target's log-density must be one value per draw, shape ("
                        + n
                        + "), got "
                        + logTarget.getShape());
        NDArray loss = drawn.get(1).sub(logTarget).mean();
        double value = loss.toType(DataType.FLOAT64, false).getDouble();
        if (!Double.isFinite(value)) {
            throw new NonFiniteLossException(
                    "the reverse KL became "
                            + value
                            + ": log q is non-finite at "
                            + nonFinite(drawn.get(1))
                            + " and the target's log-density at "
                            + nonFinite(logTarget)
                            + " of "
                            + n
                            + " draws (a draw outside the target's support, or a diverged flow)");
        }
        return loss;
    }

    private static long nonFinite(NDArray values) {
        return values.isNaN()
                .logicalOr(values.isInfinite())
                .sum()
                .toType(DataType.INT64, false)
                .getLong();
    }
}
