package io.github.djlflows.core.elementwise;

import ai.djl.ndarray.NDArray;

/**
 * Reverses the order of the features (or channels): {@code z[:, i] = x[:, D - 1 - i]}. Placed
 * between coupling or autoregressive layers so every feature gets transformed.
 *
 * <p>Cost: one native flip in each direction; analytic inverse; log-det 0.
 *
 * <pre>{@code
 * FlowSequence flow = FlowSequence.of(layerA, new ReversePermutation(), layerB);
 * }</pre>
 */
public class ReversePermutation extends Permutation {

    private static final byte VERSION = 1;

    /** Creates the layer. */
    public ReversePermutation() {
        super(VERSION);
    }

    /** {@inheritDoc} */
    @Override
    protected int[] permutation(int size) {
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) {
            perm[i] = size - 1 - i;
        }
        return perm;
    }

    /** One native flip of axis 1, its own inverse. */
    @Override
    protected NDArray permute(NDArray x, boolean inverse) {
        return x.flip(1);
    }
}
