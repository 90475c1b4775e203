package io.github.djlflows.core.autoregressive;

import java.util.Random;

/**
 * The order in which an autoregressive layer visits the features: feature {@code order[k]} is
 * conditioned on features {@code order[0..k-1]}.
 *
 * <pre>{@code
 * int[] order = Ordering.RANDOM.order(5, 42L);
 * }</pre>
 */
public enum Ordering {
    /** 0, 1, ..., D-1. */
    NATURAL,
    /** D-1, ..., 1, 0 (the usual choice between stacked layers). */
    REVERSED,
    /** A permutation drawn from the seed. */
    RANDOM;

    /**
     * Returns the visiting order.
     *
     * @param dimension the number of features D
     * @param seed the seed (used by {@link #RANDOM} only)
     * @return {@code order}, a permutation of 0..D-1
     */
    public int[] order(int dimension, long seed) {
        int[] order = new int[dimension];
        for (int k = 0; k < dimension; k++) {
            order[k] = this == REVERSED ? dimension - 1 - k : k;
        }
        if (this == RANDOM) {
            Random random = new Random(seed);
            for (int i = dimension - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }
}
