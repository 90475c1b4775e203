package io.github.djlflows.zoo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.data.ToyDensity;

/**
 * The training and held-out data of a {@link FlowConfig}, always the same for the same config
 * (generated with the config's seeds, or read from fixed splits).
 *
 * <pre>{@code
 * NDArray heldOut = FlowData.heldOut(config, manager);
 * }</pre>
 */
public final class FlowData {

    private FlowData() {}

    /**
     * The training set.
     *
     * @param config the config
     * @param manager the manager that owns the result
     * @return the training samples (n, event...)
     * @throws java.io.IOException if a dataset file is missing or corrupt
     */
    public static NDArray train(FlowConfig config, NDManager manager) throws java.io.IOException {
        return load(config, manager, true);
    }

    /**
     * The held-out set.
     *
     * @param config the config
     * @param manager the manager that owns the result
     * @return the held-out samples (n, event...)
     * @throws java.io.IOException if a dataset file is missing or corrupt
     */
    public static NDArray heldOut(FlowConfig config, NDManager manager) throws java.io.IOException {
        return load(config, manager, false);
    }

    /**
     * A short description of the held-out set, for metrics files.
     *
     * @param config the config
     * @return the description
     */
    public static String describeHeldOut(FlowConfig config) {
        return config.heldOutSize + " points of " + config.dataset + ", seed " + config.heldOutSeed;
    }

    private static NDArray load(FlowConfig config, NDManager manager, boolean train)
            throws java.io.IOException {
        ToyDensity toy = ToyDensity.fromName(config.dataset);
        return train
                ? toy.sample(manager, config.trainSize, config.trainSeed)
                : toy.sample(manager, config.heldOutSize, config.heldOutSeed);
    }
}
