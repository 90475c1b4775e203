package io.github.djlflows.core.autoregressive;

import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

/**
 * The degrees and connectivity masks of a {@link Made} network, and the check of a saved ordering.
 *
 * <p>Input feature {@code d} has degree {@code m(d)} = its rank in the ordering plus 1 (1..D),
 * hidden unit {@code j} of a layer the degree {@code j mod (D-1) + 1} (0 when D = 1); a weight from
 * degree {@code a} to degree {@code b} is kept when {@code b >= a} (hidden and residual layers) or
 * {@code b > a} (the output layer, strict).
 */
final class MadeMasks {

    private MadeMasks() {}

    /** The input degrees: {@code degrees[order[k]] = k + 1}. */
    static int[] inputDegrees(int[] order) {
        int[] degrees = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            degrees[order[k]] = k + 1;
        }
        return degrees;
    }

    /** The degrees of a hidden layer of the given width, cycling through 1..D-1. */
    static int[] hiddenDegrees(int width, int dimension) {
        int[] degrees = new int[width];
        for (int j = 0; j < width; j++) {
            degrees[j] = dimension > 1 ? j % (dimension - 1) + 1 : 0;
        }
        return degrees;
    }

    /** The output degrees, parameter-major: unit {@code p * D + d} has the degree of feature d. */
    static int[] outputDegrees(int[] order, int parameterCount) {
        int[] in = inputDegrees(order);
        int dimension = in.length;
        int[] degrees = new int[parameterCount * dimension];
        for (int p = 0; p < parameterCount; p++) {
            System.arraycopy(in, 0, degrees, p * dimension, dimension);
        }
        return degrees;
    }

    /** A masked linear layer from units of degrees {@code from} to units of degrees {@code to}. */
    static MaskedLinear masked(int[] to, int[] from, boolean strict, boolean zeroInit) {
        return new MaskedLinear(to.length, from.length, mask(to, from, strict), zeroInit);
    }

    /** The row-major (to, from) mask: 1 where the connection is kept. */
    static float[] mask(int[] to, int[] from, boolean strict) {
        float[] mask = new float[to.length * from.length];
        for (int j = 0; j < to.length; j++) {
            for (int i = 0; i < from.length; i++) {
                boolean keep = strict ? to[j] > from[i] : to[j] >= from[i];
                mask[j * from.length + i] = keep ? 1f : 0f;
            }
        }
        return mask;
    }

    /**
     * Tells each masked layer of a network the mask a loaded ordering implies (checked when its
     * parameters load).
     */
    static void expect(
            int[] order,
            List<Block> hidden,
            List<Block[]> residual,
            MaskedLinear output,
            int parameterCount) {
        int dimension = order.length;
        int[] previous = inputDegrees(order);
        for (Block b : hidden) {
            MaskedLinear m = (MaskedLinear) b;
            int[] degrees = hiddenDegrees(Math.toIntExact(m.getUnits()), dimension);
            m.expectMask(mask(degrees, previous, false));
            previous = degrees;
        }
        for (Block[] pair : residual) {
            ((MaskedLinear) pair[0]).expectMask(mask(previous, previous, false));
            ((MaskedLinear) pair[1]).expectMask(mask(previous, previous, false));
        }
        output.expectMask(mask(outputDegrees(order, parameterCount), previous, true));
    }

    /**
     * Reads a saved ordering of {@code dimension} features and checks it is a permutation.
     *
     * @throws MalformedModelException when it is not
     */
    static int[] readOrder(DataInputStream is, int dimension)
            throws IOException, MalformedModelException {
        int[] loaded = new int[dimension];
        boolean[] seen = new boolean[dimension];
        for (int k = 0; k < dimension; k++) {
            loaded[k] = is.readInt();
            if (loaded[k] < 0 || loaded[k] >= dimension || seen[loaded[k]]) {
                throw new MalformedModelException(
                        "Made: the saved ordering is not a permutation of 0.."
                                + (dimension - 1)
                                + " (entry "
                                + k
                                + " is "
                                + loaded[k]
                                + ")");
            }
            seen[loaded[k]] = true;
        }
        return loaded;
    }
}
