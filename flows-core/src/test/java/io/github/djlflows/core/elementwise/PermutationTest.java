package io.github.djlflows.core.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What the permutations do to the features, beyond the contract test's inverse and log-det (which
 * the identity would pass too): {@code z[:, i] = x[:, perm[i]]}, on vectors and image channels.
 */
class PermutationTest {

    /** Column i of a (2, n) input holds i and 100 + i; returns row 0 of the output. */
    private static double[] apply(Permutation layer, int n, boolean inverse) {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] values = new double[2 * n];
            for (int i = 0; i < n; i++) {
                values[i] = i;
                values[n + i] = 100 + i;
            }
            NDArray x = m.create(values, new Shape(2, n));
            layer.initialize(m, DataType.FLOAT64, x.getShape());
            ParameterStore ps = new ParameterStore(m, false);
            NDList out =
                    inverse
                            ? layer.inverse(ps, new NDList(x))
                            : layer.forward(ps, new NDList(x), false);
            double[] z = out.get(0).toDoubleArray();
            for (int i = 0; i < n; i++) {
                assertEquals(z[i] + 100, z[n + i], 0.0, "rows must be permuted alike");
            }
            assertArrayEquals(new double[2], out.get(1).toDoubleArray(), 0.0, "log-det must be 0");
            return Arrays.copyOf(z, n);
        }
    }

    @Test
    void reverseFlipsTheFeatures() {
        assertArrayEquals(
                new double[] {4, 3, 2, 1, 0}, apply(new ReversePermutation(), 5, false), 0.0);
        assertArrayEquals(
                new double[] {4, 3, 2, 1, 0}, apply(new ReversePermutation(), 5, true), 0.0);
    }

    @Test
    void reverseFlipsImageChannelsOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(0f, 24f).reshape(1, 3, 2, 4).toType(DataType.FLOAT64, false);
            ReversePermutation layer = new ReversePermutation();
            layer.initialize(m, DataType.FLOAT64, x.getShape());
            NDArray z = layer.forward(new ParameterStore(m, false), new NDList(x), false).get(0);
            for (int c = 0; c < 3; c++) {
                assertArrayEquals(
                        x.get("0, " + (2 - c)).toDoubleArray(),
                        z.get("0, " + c).toDoubleArray(),
                        0.0,
                        "channel " + c);
            }
        }
    }

    @Test
    void randomIsASeededPermutationAndItsInverseUndoesIt() {
        int n = 9;
        RandomPermutation layer = new RandomPermutation(7);
        double[] z = apply(layer, n, false);
        int[] perm = layer.permutation(n);
        for (int i = 0; i < n; i++) {
            assertEquals(perm[i], z[i], 0.0, "z[:, " + i + "] must be x[:, perm[" + i + "]]");
        }
        double[] sorted = z.clone();
        Arrays.sort(sorted);
        double[] identity = new double[n];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted, 0.0, "every feature exactly once");
        assertNotEquals(
                Arrays.toString(identity), Arrays.toString(z), "seed 7 must move something");
        assertArrayEquals(
                z, apply(new RandomPermutation(7), n, false), 0.0, "same seed, same order");
        // inverse: x[:, perm[i]] = z[:, i]
        double[] back = apply(layer, n, true);
        for (int i = 0; i < n; i++) {
            assertEquals(i, back[perm[i]], 0.0, "inverse at " + i);
        }
    }
}
