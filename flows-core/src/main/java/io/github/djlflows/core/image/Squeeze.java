package io.github.djlflows.core.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;

/**
 * 2x2 space-to-depth: (batch, C, H, W) to (batch, 4C, H/2, W/2), a pure rearrangement.
 *
 * <pre>
 * z[b, 4c + 2i + j, h, w] = x[b, c, 2h + i, 2w + j]      (i, j in {0, 1})
 * logDet = 0
 * </pre>
 *
 * <p>Implemented as reshape (B, C, H/2, 2, W/2, 2), transpose (0, 1, 3, 5, 2, 4), reshape; the
 * inverse ({@link #unsqueeze}) undoes it. Cost: one copy in each direction. H and W must be even.
 *
 * <p>Reference: Dinh, Sohl-Dickstein and Bengio, "Density estimation using Real NVP", ICLR 2017.
 *
 * <pre>{@code
 * NDArray z = Squeeze.squeeze(x); // (8, 1, 28, 28) -> (8, 4, 14, 14)
 * }</pre>
 */
public class Squeeze extends FlowBlock {

    private static final byte VERSION = 1;

    /** Creates the layer. */
    public Squeeze() {
        super(VERSION);
    }

    /**
     * Space-to-depth.
     *
     * @param x (B, C, H, W) with H and W even
     * @return (B, 4C, H/2, W/2)
     * @throws IllegalArgumentException for odd H or W or a non-image input
     */
    public static NDArray squeeze(NDArray x) {
        Shape s = x.getShape();
        Shape out = squeezedShape(s);
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2) / 2;
        long w = s.get(3) / 2;
        return x.reshape(b, c, h, 2, w, 2).transpose(0, 1, 3, 5, 2, 4).reshape(out);
    }

    /**
     * Depth-to-space, the inverse of {@link #squeeze}.
     *
     * @param z (B, 4C, H, W)
     * @return (B, C, 2H, 2W)
     */
    public static NDArray unsqueeze(NDArray z) {
        Shape s = unsqueezedShape(z.getShape());
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2) / 2;
        long w = s.get(3) / 2;
        return z.reshape(b, c, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(s);
    }

    /**
     * The shape {@link #unsqueeze} gives: (B, C/4, 2H, 2W).
     *
     * @param s (batch, 4C, H, W)
     * @return (batch, C, 2H, 2W)
     * @throws IllegalArgumentException for a rank other than 4 or channels not divisible by 4
     */
    public static Shape unsqueezedShape(Shape s) {
        if (s.dimension() != 4 || s.get(1) % 4 != 0) {
            throw new IllegalArgumentException(
                    "unsqueeze expects (batch, 4C, H, W) with channels divisible by 4, got " + s);
        }
        return new Shape(s.get(0), s.get(1) / 4, s.get(2) * 2, s.get(3) * 2);
    }

    /**
     * The shape after a squeeze.
     *
     * @param s (B, C, H, W)
     * @return (B, 4C, H/2, W/2)
     * @throws IllegalArgumentException for odd H or W or a non-image shape
     */
    public static Shape squeezedShape(Shape s) {
        if (s.dimension() != 4) {
            throw new IllegalArgumentException(
                    "Squeeze expects images (batch, channels, height, width), got " + s);
        }
        if (s.get(2) % 2 != 0 || s.get(3) % 2 != 0) {
            throw new IllegalArgumentException(
                    "Squeeze needs an even height and width, got "
                            + s.get(2)
                            + "x"
                            + s.get(3)
                            + " (input "
                            + s
                            + "); crop or pad the images, or use fewer levels");
        }
        return new Shape(s.get(0), s.get(1) * 4, s.get(2) / 2, s.get(3) / 2);
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        squeezedShape(inputShapes[0]);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {squeezedShape(inputShapes[0]), new Shape(inputShapes[0].get(0))};
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getInverseOutputShapes(Shape[] outputShapes) {
        return new Shape[] {unsqueezedShape(outputShapes[0]), new Shape(outputShapes[0].get(0))};
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        return result(squeeze(x), LogDets.zeros(x));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        return result(unsqueeze(z), LogDets.zeros(z));
    }
}
