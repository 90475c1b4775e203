package io.github.djlflows.core.elementwise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.Tensors;

/**
 * Reorders the features of axis 1 (the feature axis of vectors, the channel axis of images):
 * {@code z[:, i] = x[:, perm[i]]}. Volume preserving: log-det 0.
 *
 * <p>Cost: one gather in each direction; analytic inverse.
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
        return result(take(x, permutation(size(x))), Tensors.zeroLogDet(x));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        int[] perm = permutation(size(z));
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return result(take(z, inverse), Tensors.zeroLogDet(z));
    }

    private static int size(NDArray x) {
        return Math.toIntExact(x.getShape().get(1));
    }

    private static NDArray take(NDArray x, int[] order) {
        long[] idx = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            idx[i] = order[i];
        }
        NDArray index = x.getManager().create(idx).toDevice(x.getDevice(), false);
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
