package io.github.djlflows.core.flows;

import ai.djl.ndarray.types.Shape;

/** Shape checks shared by the image flow builders. */
final class ImageShapes {

    private ImageShapes() {}

    /** Checks (C, H, W) for {@code squeezes} 2x2 squeezes and returns {C, H, W}. */
    static long[] check(Shape inputShape, int levels, int squeezes, String name) {
        if (inputShape == null || inputShape.dimension() != 3) {
            throw new IllegalArgumentException(
                    name + " needs setInputShape((channels, height, width)), got " + inputShape);
        }
        if (levels < 1) {
            throw new IllegalArgumentException(name + " needs at least 1 level, got " + levels);
        }
        long h = inputShape.get(1);
        long w = inputShape.get(2);
        long f = 1L << squeezes;
        if (h % f != 0 || w % f != 0) {
            throw new IllegalArgumentException(
                    name
                            + " with "
                            + levels
                            + " levels squeezes "
                            + squeezes
                            + " times, so height and width must be divisible by "
                            + f
                            + ", got "
                            + h
                            + "x"
                            + w);
        }
        return new long[] {inputShape.get(0), h, w};
    }
}
