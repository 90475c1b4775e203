package io.github.djlflows.core.elementwise;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * A fixed random permutation of the features (or channels), drawn from a seed when the layer is
 * initialized and saved with the model, so a loaded model uses the same order.
 *
 * <p>Cost: one gather in each direction; analytic inverse; log-det 0.
 *
 * <pre>{@code
 * RandomPermutation shuffle = new RandomPermutation(42);
 * }</pre>
 */
public class RandomPermutation extends Permutation {

    private static final byte VERSION = 1;

    private final long seed;
    private int[] perm;

    /**
     * Creates the layer.
     *
     * @param seed the seed of the permutation
     */
    public RandomPermutation(long seed) {
        super(VERSION);
        this.seed = seed;
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        permutation(Math.toIntExact(inputShapes[0].get(1)));
    }

    /** {@inheritDoc} */
    @Override
    protected int[] permutation(int size) {
        if (perm == null) {
            perm = new int[size];
            for (int i = 0; i < size; i++) {
                perm[i] = i;
            }
            Random random = new Random(seed);
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        if (perm.length != size) {
            throw new IllegalArgumentException(
                    "RandomPermutation was built for " + perm.length + " features, got " + size);
        }
        return perm;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        int[] p = perm == null ? new int[0] : perm;
        os.writeInt(p.length);
        for (int v : p) {
            os.writeInt(v);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "RandomPermutation: unsupported version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        int n = is.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new MalformedModelException("RandomPermutation: corrupt permutation length " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = is.readInt();
        }
        if (!isPermutation(p)) {
            throw new MalformedModelException(
                    "RandomPermutation: the saved order is not a permutation");
        }
        perm = n == 0 ? null : p;
    }
}
