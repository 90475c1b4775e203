package io.github.djlflows.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Helpers for tests that compare two ways of computing one pass, in float64. */
public final class SamePass {

    private SamePass() {}

    /**
     * Gives every parameter of an initialized float64 block random N(0, 0.3^2) values (the default
     * zero last layers would make couplings the identity).
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
     * Runs one pass of {@code block} and returns its values in a fixed order: the forward output
     * and log-det, the inverse output and log-det, then the gradient of every parameter of a loss
     * that weighs each forward output by {@code weights} and adds the log-dets.
     *
     * @param block the block whose parameter gradients are collected
     * @param pass given a parameter store, returns {forward result, inverse result}, each (output,
     *     log-det)
     * @param m the manager of the parameter store
     * @param weights the weights of the forward outputs in the loss
     * @return the values
     */
    public static List<double[]> valuesAndGradients(
            Block block, Function<ParameterStore, NDList[]> pass, NDManager m, NDArray weights) {
        List<double[]> values = new ArrayList<>();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.zeroGradients();
            NDList[] r = pass.apply(new ParameterStore(m, false));
            values.add(r[0].get(0).toDoubleArray());
            values.add(r[0].get(1).toDoubleArray());
            values.add(r[1].get(0).toDoubleArray());
            values.add(r[1].get(1).toDoubleArray());
            collector.backward(r[0].get(0).mul(weights).sum().add(r[0].get(1).sum()));
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.add(p.getValue().getArray().getGradient().toDoubleArray());
        }
        return values;
    }

    /**
     * Asserts that two lists of values (outputs, log-dets, gradients...) agree to 1e-12 relative to
     * 1 + |expected|.
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
