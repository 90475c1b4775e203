package io.github.djlflows.core.elementwise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;

/**
 * Reorders the features of axis 1 (the feature axis of vectors, the channel axis of images): {@code
 * z[:, i] = x[:, perm[i]]}. Volume preserving: log-det 0.
 *
 * <p>Cost: one gather (or flip) in each direction; analytic inverse.
 */
public abstract class Permutation extends FlowBlock {

    /**
     * Creates the layer.
     *
     * @param version the serialization version
     */
    protected Permutation(byte version) {
        super(version);
    }

    /**
     * Returns the permutation for axis 1 of the given size.
     *
     * @param size the size of axis 1
     * @return perm, where output i takes input perm[i]
     */
    protected abstract int[] permutation(int size);

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        return result(permute(x, false), LogDets.zeros(x));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        return result(permute(z, true), LogDets.zeros(z));
    }

    /**
     * Reorders axis 1 by the permutation or its inverse. This gathers through a shared index
     * constant (built once per order and device); a subclass with a cheaper native form (a flip)
     * overrides it.
     *
     * @param x the input, (batch, features...)
     * @param inverse true for the inverse order
     * @return the reordered array, owned by {@code x}'s manager
     */
    protected NDArray permute(NDArray x, boolean inverse) {
        int[] perm = permutation(Math.toIntExact(x.getShape().get(1)));
        double[] order = new double[perm.length];
        for (int i = 0; i < perm.length; i++) {
            if (inverse) {
                order[perm[i]] = i;
            } else {
                order[i] = perm[i];
            }
        }
        NDArray index = Tensors.shared(x, order, new Shape(order.length), DataType.INT64);
        return x.get(new NDIndex(":, {}", index));
    }

    /**
     * Checks a permutation.
     *
     * @param perm the candidate
     * @return true when perm holds each of 0..n-1 once
     */
    protected static boolean isPermutation(int[] perm) {
        boolean[] seen = new boolean[perm.length];
        for (int p : perm) {
            if (p < 0 || p >= perm.length || seen[p]) {
                return false;
            }
            seen[p] = true;
        }
        return true;
    }
}
