package io.github.djlflows.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;

/** Helpers for tests that compare two ways of computing one pass, in float64. */
public final class SamePass {

    private SamePass() {}

    /**
     * Gives every parameter of an initialized float64 block random N(0, 0.3^2) values (the
     * default zero last layers would make couplings the identity).
     *
     * @param block the block
     * @param m a manager for the draws
     */
    public static void randomizeParameters(Block block, NDManager m) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(m.randomNormal(0f, 0.3f, a.getShape(), DataType.FLOAT64).toDoubleArray());
        }
    }

    /**
     * Asserts that two lists of values (outputs, log-dets, gradients...) agree to 1e-12
     * relative to 1 + |expected|.
     *
     * @param what the two ways compared, for the message
     * @param expected the reference values
     * @param actual the values to check
     */
    public static void assertAgree(String what, List<double[]> expected, List<double[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            double[] a = expected.get(i);
            double[] b = actual.get(i);
            assertEquals(a.length, b.length);
            double worst = 0;
            for (int j = 0; j < a.length; j++) {
                worst = Math.max(worst, Math.abs(a[j] - b[j]) / (1 + Math.abs(a[j])));
            }
            assertTrue(worst < 1e-12, what + " differ by " + worst + " in value " + i);
        }
    }
}
