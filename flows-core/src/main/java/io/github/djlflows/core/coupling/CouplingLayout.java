package io.github.djlflows.core.coupling;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Where a coupling's kept and transformed features are, for one feature shape: a contiguous block
 * of axis 1 (HALF on vectors, CHANNEL on images), a fixed index selection (ALTERNATING: a
 * permutation to kept-then-transformed order and its inverse), or a mask blended in place
 * (CHECKERBOARD).
 */
final class CouplingLayout {

    private enum Kind {
        CONTIGUOUS,
        SELECTED,
        MASKED
    }

    private final Kind kind;
    private final Shape featureShape;
    private final MaskType maskType;
    private final boolean invert;
    private final long[] kept;
    private final long[] transformed;
    private final long[] order;
    private final long[] inverseOrder;
    // constants built once by initialize() in the parameters' manager and reused by every pass on
    // that device and data type; other inputs build (or share) them per call
    private NDArray[] cachedMasks;
    private NDArray[] cachedOrders;

    CouplingLayout(MaskType maskType, boolean invert, Shape featureShape) {
        this.maskType = maskType;
        this.invert = invert;
        this.featureShape = featureShape;
        // also checks that the mask fits the shape (vectors or images)
        float[] mask = maskType.values(featureShape, invert);
        if (maskType == MaskType.CHECKERBOARD) {
            kind = Kind.MASKED;
            kept = flatIndices(mask, true);
            transformed = flatIndices(mask, false);
        } else {
            kept = maskType.indices(featureShape, invert, true);
            transformed = maskType.indices(featureShape, invert, false);
            kind = maskType == MaskType.ALTERNATING ? Kind.SELECTED : Kind.CONTIGUOUS;
        }
        order = LongStream.concat(LongStream.of(kept), LongStream.of(transformed)).toArray();
        inverseOrder = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            inverseOrder[Math.toIntExact(order[i])] = i;
        }
    }

    private static long[] flatIndices(float[] mask, boolean kept) {
        return LongStream.range(0, mask.length)
                .filter(i -> (mask[(int) i] == 1f) == kept)
                .toArray();
    }

    Shape featureShape() {
        return featureShape;
    }

    boolean masked() {
        return kind == Kind.MASKED;
    }

    /** The kept-then-transformed order (axis-1 indices; flat indices for CHECKERBOARD). */
    long[] order() {
        return order.clone();
    }

    long[] keptIndices() {
        return kept.clone();
    }

    long[] transformedIndices() {
        return transformed.clone();
    }

    /** The conditioner's input shape for an input of shape {@code x}. */
    Shape conditionerInput(Shape x, long contextSize) {
        if (kind == Kind.MASKED) {
            return x;
        }
        Shape in = new Shape(x.get(0), kept.length).addAll(x.slice(2));
        return contextSize > 0 ? new Shape(x.get(0), kept.length + contextSize) : in;
    }

    /** The number of values per sample the conditioner writes parameters for. */
    long parameterFeatures(Shape x) {
        return kind == Kind.MASKED ? x.slice(1).size() : transformed.length * x.slice(2).size();
    }

    void cacheConstants(NDManager manager, DataType dataType) {
        Shape shape = new Shape(1).addAll(featureShape);
        if (kind == Kind.MASKED) {
            float[] m = maskType.values(featureShape, invert);
            cachedMasks =
                    new NDArray[] {
                        Tensors.constant(manager, m, shape, dataType),
                        Tensors.constant(manager, complement(m), shape, dataType)
                    };
        } else if (kind == Kind.SELECTED) {
            cachedOrders =
                    new NDArray[] {
                        Tensors.constant(
                                manager, floats(order), new Shape(order.length), DataType.INT64),
                        Tensors.constant(
                                manager,
                                floats(inverseOrder),
                                new Shape(order.length),
                                DataType.INT64)
                    };
        }
    }

    /** The mask and its complement, (1, features...), in {@code x}'s type and device. */
    NDArray[] masks(NDArray x) {
        NDArray[] cached = cachedMasks;
        if (cached != null && Tensors.fits(cached[0], x)) {
            return cached;
        }
        float[] m = maskType.values(featureShape, invert);
        Shape shape = new Shape(1).addAll(featureShape);
        return new NDArray[] {
            Tensors.constant(x, m, shape), Tensors.constant(x, complement(m), shape)
        };
    }

    /** The kept and the transformed features of {@code x}, in increasing index order. */
    NDArray[] split(NDArray x) {
        if (kind == Kind.SELECTED) {
            NDArray sorted = x.get(columns(orderIndex(x, false)));
            NDList parts = sorted.split(new long[] {kept.length}, 1);
            return new NDArray[] {parts.get(0), parts.get(1)};
        }
        long at = kept[0] == 0 ? kept.length : transformed.length;
        NDList parts = x.split(new long[] {at}, 1);
        return kept[0] == 0
                ? new NDArray[] {parts.get(0), parts.get(1)}
                : new NDArray[] {parts.get(1), parts.get(0)};
    }

    /** The inverse of {@link #split}: the two parts back in feature order. */
    NDArray join(NDArray keptPart, NDArray transformedPart) {
        if (kind == Kind.SELECTED) {
            NDArray sorted = keptPart.concat(transformedPart, 1);
            return sorted.get(columns(orderIndex(keptPart, true)));
        }
        return kept[0] == 0
                ? keptPart.concat(transformedPart, 1)
                : transformedPart.concat(keptPart, 1);
    }

    private NDArray orderIndex(NDArray like, boolean inverse) {
        NDArray[] cached = cachedOrders;
        if (cached != null
                && !cached[0].isReleased()
                && cached[0].getManager().getDevice().equals(like.getManager().getDevice())) {
            return cached[inverse ? 1 : 0];
        }
        return indexConstant(like, inverse ? inverseOrder : order);
    }

    private static float[] floats(long[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = values[i];
        }
        return f;
    }

    private static float[] complement(float[] m) {
        float[] inv = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            inv[i] = 1f - m[i];
        }
        return inv;
    }

    /** Writes the kept-then-transformed order, saved with the layer. */
    void writeOrder(DataOutputStream os) throws IOException {
        os.writeInt(order.length);
        for (long i : order) {
            os.writeLong(i);
        }
    }

    /** Reads a saved order and checks it is this layout's. */
    void checkOrder(DataInputStream is) throws IOException, MalformedModelException {
        long[] saved = new long[is.readInt()];
        for (int i = 0; i < saved.length; i++) {
            saved[i] = is.readLong();
        }
        if (!Arrays.equals(saved, order)) {
            throw new MalformedModelException(
                    "CouplingFlow: the checkpoint's feature order "
                            + Arrays.toString(saved)
                            + " differs from this layer's "
                            + Arrays.toString(order));
        }
    }

    /**
     * An index selection along axis 1 as an {@link NDIndex}, as the ALTERNATING layout applies it.
     */
    static NDIndex columns(NDArray index) {
        return new NDIndex(":, {}", index);
    }

    /** A shared INT64 index constant of {@code values} on {@code like}'s device. */
    static NDArray indexConstant(NDArray like, long[] values) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return Tensors.shared(like, v, new Shape(v.length), DataType.INT64);
    }
}
