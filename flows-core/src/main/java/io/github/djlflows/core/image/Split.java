package io.github.djlflows.core.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Glow's channel split, used by {@link MultiScaleFlow}: a (batch, 2C, H, W) array is cut into the
 * first half z1 = channels [0, C), which continues through the next level, and the second half z2 =
 * channels [C, 2C), which is factored out (goes to the output unchanged). {@link #merge} is the
 * exact inverse. A volume-preserving rearrangement: log-det 0. Cost: one copy.
 *
 * <p>Reference: Dinh et al., "Real NVP" (2017), section 3.6 (multi-scale architecture); Kingma and
 * Dhariwal, "Glow" (2018).
 */
public final class Split {

    private Split() {}

    /**
     * Splits the channels in half.
     *
     * @param y (B, 2C, H, W)
     * @return {z1, z2}, each (B, C, H, W)
     * @throws IllegalArgumentException when the channel count is odd
     */
    public static NDArray[] split(NDArray y) {
        Shape s = y.getShape();
        long c = s.get(1);
        if (c % 2 != 0) {
            throw new IllegalArgumentException("Split needs an even channel count, got " + s);
        }
        NDList halves = y.split(2, 1);
        return new NDArray[] {halves.get(0), halves.get(1)};
    }

    /**
     * Concatenates two halves along the channels, the inverse of {@link #split}.
     *
     * @param z1 (B, C, H, W)
     * @param z2 (B, C, H, W)
     * @return (B, 2C, H, W)
     */
    public static NDArray merge(NDArray z1, NDArray z2) {
        return NDArrays.concat(new NDList(z1, z2), 1);
    }
}
