package io.github.djlflows.zoo.train;

import ai.djl.ndarray.NDArray;
import io.github.djlflows.core.NormalizingFlow;

/**
 * Held-out metrics computed in chunks, so large evaluation sets need bounded memory.
 *
 * <pre>{@code
 * double nats = HeldOut.nll(flow, heldOut);
 * }</pre>
 */
public final class HeldOut {

    private static final int CHUNK = 2000;

    private HeldOut() {}

    /**
     * The mean negative log-likelihood in nats.
     *
     * @param flow the model
     * @param data held-out samples (n, ...)
     * @return -mean log p(x)
     */
    public static double nll(NormalizingFlow flow, NDArray data) {
        return io.github.djlflows.core.train.BestValidationListener.meanNll(flow, data, CHUNK);
    }
}
