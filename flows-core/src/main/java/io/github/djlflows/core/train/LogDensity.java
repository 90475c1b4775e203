package io.github.djlflows.core.train;

import ai.djl.ndarray.NDArray;

/**
 * An unnormalised log-density log p̃(x) = log p(x) + log Z of a target that can be evaluated but
 * not sampled: a Bayesian posterior's log joint, an energy, the log joint p(x, z) of a latent
 * variable model. {@link ReverseKl} fits a flow to it. Given a context (the observation of an
 * amortised posterior), the target may depend on it; an unconditional target ignores it.
 *
 * <pre>{@code
 * LogDensity banana = (x, c) -> x.get(":, 0").square().mul(-0.5)
 *         .sub(x.get(":, 1").sub(x.get(":, 0").square()).square().mul(2));
 * }</pre>
 */
@FunctionalInterface
public interface LogDensity {

    /**
     * Evaluates log p̃ at each row, differentiably (its gradient with respect to x reaches the flow
     * that drew x).
     *
     * @param x points, (batch, event...)
     * @param context the context rows, (batch, contextSize), or null for an unconditional flow
     * @return log p̃(x | context), (batch)
     */
    NDArray logDensity(NDArray x, NDArray context);
}
