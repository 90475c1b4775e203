package io.github.djlflows.core.coupling;

import ai.djl.ndarray.types.Shape;
import ai.djl.util.Preconditions;

/**
 * Which features of a coupling layer condition (mask value 1, passed through unchanged) and which
 * are transformed (mask value 0).
 *
 * <ul>
 *   <li>{@link #HALF}: vectors; the first ceil(D/2) features condition.
 *   <li>{@link #ALTERNATING}: vectors; even-indexed features condition.
 *   <li>{@link #CHECKERBOARD}: images (C, H, W); pixels with (h + w) even condition.
 *   <li>{@link #CHANNEL}: images; the first ceil(C/2) channels condition.
 * </ul>
 *
 * A coupling's {@code optInvertMask(true)} swaps the two groups, so alternating layers transform
 * every feature. HALF and CHANNEL keep one contiguous block of axis 1 and ALTERNATING a fixed index
 * selection, so the conditioner reads the kept features only; CHECKERBOARD keeps the spatial layout
 * and its conditioner reads the masked image.
 *
 * <pre>{@code
 * float[] mask = MaskType.ALTERNATING.values(new Shape(4), false); // {1, 0, 1, 0}
 * }</pre>
 */
public enum MaskType {
    HALF,
    ALTERNATING,
    CHECKERBOARD,
    CHANNEL;

    /**
     * Whether this mask is for images (channels, height, width) rather than vectors.
     *
     * @return true for CHECKERBOARD and CHANNEL
     */
    public boolean forImages() {
        return this == CHECKERBOARD || this == CHANNEL;
    }

    /**
     * The indices along axis 1 (features of a vector, channels of an image) that condition, or that
     * are transformed, in increasing order; for CHECKERBOARD, every channel.
     *
     * @param featureShape the shape of one sample (without batch)
     * @param invert whether to swap conditioning and transformed features
     * @param kept true for the conditioning indices, false for the transformed ones
     * @return the indices
     */
    public long[] indices(Shape featureShape, boolean invert, boolean kept) {
        long n = featureShape.get(0);
        if (this == CHECKERBOARD) {
            return java.util.stream.LongStream.range(0, n).toArray();
        }
        float[] m = values(featureShape, invert);
        long stride = featureShape.size() / n;
        return java.util.stream.LongStream.range(0, n)
                .filter(i -> (m[Math.toIntExact(i * stride)] == 1f) == kept)
                .toArray();
    }

    /**
     * Builds the mask for one sample.
     *
     * @param featureShape the shape of one sample (without batch)
     * @param invert whether to swap conditioning and transformed features
     * @return the mask values, row-major, 1 = conditioning
     */
    public float[] values(Shape featureShape, boolean invert) {
        int size = Math.toIntExact(featureShape.size());
        float[] mask = new float[size];
        switch (this) {
            case HALF:
            case ALTERNATING:
                Preconditions.checkArgument(
                        featureShape.dimension() == 1 && size >= 2,
                        this + " masks need vectors of at least 2 features, got " + featureShape);
                for (int i = 0; i < size; i++) {
                    boolean conditioning = this == HALF ? i < (size + 1) / 2 : i % 2 == 0;
                    mask[i] = conditioning ? 1f : 0f;
                }
                break;
            case CHECKERBOARD:
            case CHANNEL:
                Preconditions.checkArgument(
                        featureShape.dimension() == 3,
                        this + " masks need images (channels, height, width), got " + featureShape);
                long c = featureShape.get(0);
                long h = featureShape.get(1);
                long w = featureShape.get(2);
                Preconditions.checkArgument(
                        this != CHANNEL || c >= 2,
                        "CHANNEL masks need at least 2 channels, got " + c);
                int i = 0;
                for (long ci = 0; ci < c; ci++) {
                    for (long hi = 0; hi < h; hi++) {
                        for (long wi = 0; wi < w; wi++) {
                            boolean conditioning =
                                    this == CHANNEL ? ci < (c + 1) / 2 : (hi + wi) % 2 == 0;
                            mask[i++] = conditioning ? 1f : 0f;
                        }
                    }
                }
                break;
            default:
                throw new IllegalStateException("unknown mask type " + this);
        }
        if (invert) {
            for (int j = 0; j < size; j++) {
                mask[j] = 1f - mask[j];
            }
        }
        return mask;
    }
}
