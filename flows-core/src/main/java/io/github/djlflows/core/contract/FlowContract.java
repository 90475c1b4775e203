package io.github.djlflows.core.contract;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.djlflows.core.FlowBlock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;

/**
 * The one contract every flow layer must pass, in float64, as a kit users can run on their own
 * layers (no test framework needed: a failure throws an {@link AssertionError} naming the layer and
 * the check): inverse(forward(x)) = x, the forward log-det equals log|det J| of a
 * central-difference Jacobian, the two directions' log-dets cancel, samples are independent of
 * their batch mates, gradients reach every trainable parameter through the forward and (where the
 * inverse is analytic) the inverse direction, and a save/load round trip into a block built with
 * another seed ({@link FlowCase#reloadInto}) reproduces the outputs.
 *
 * <pre>{@code
 * FlowContract.check(FlowCase.of("my layer", MyLayer::new, new Shape(4)));
 * }</pre>
 */
public final class FlowContract {

    /** Relative tolerance of inverse(forward(x)) = x. */
    public static final double INVERSE_TOLERANCE = 1e-5;

    /** Absolute tolerance of the log-det against the brute-force Jacobian. */
    public static final double LOGDET_TOLERANCE = 1e-4;

    private static final double STEP = 1e-5;

    private FlowContract() {}

    /**
     * Runs every check on batches of 2 and 5 samples.
     *
     * @param flowCase the layer configuration
     */
    public static void check(FlowCase flowCase) {
        for (int batch : new int[] {2, 5}) {
            check(flowCase, batch);
        }
    }

    /**
     * Runs every check on one batch size.
     *
     * @param flowCase the layer configuration
     * @param batch the batch size
     */
    public static void check(FlowCase flowCase, int batch) {
        Engine.getInstance().setRandomSeed(1234 + batch);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape xShape = new Shape(batch).addAll(flowCase.eventShape());
            Shape cShape = new Shape(batch, flowCase.contextSize());
            boolean hasContext = flowCase.contextSize() > 0;
            FlowBlock block = flowCase.factory().get();
            if (hasContext) {
                block.initialize(manager, DataType.FLOAT64, xShape, cShape);
            } else {
                block.initialize(manager, DataType.FLOAT64, xShape);
            }
            perturb(block, manager);
            NDArray x =
                    manager.randomNormal(0, 1, xShape, DataType.FLOAT64)
                            .mul(flowCase.inputScale())
                            .add(flowCase.inputShift());
            NDArray context =
                    hasContext ? manager.randomNormal(0, 1, cShape, DataType.FLOAT64) : null;
            ParameterStore ps = new ParameterStore(manager, false);
            // one training pass first, for data-dependent initialization (ActNorm)
            block.forward(ps, inputs(x, context), true);

            NDList out = block.forward(ps, inputs(x, context), false);
            NDArray z = out.get(0);
            NDArray logDet = out.get(1);
            String name = flowCase.name() + " (batch " + batch + ")";
            assertEquals(new Shape(batch), logDet.getShape(), name + ": log-det shape");
            assertEquals(DataType.FLOAT64, z.getDataType(), name + ": output type");
            assertFinite(z, name + ": output");
            assertFinite(logDet, name + ": log-det");

            NDList back = block.inverse(ps, inputs(z, context));
            NDArray xBack = back.get(0);
            assertEquals(x.getShape(), xBack.getShape(), name + ": inverse shape");
            double err = x.sub(xBack).abs().div(x.abs().add(1)).max().getDouble();
            assertTrue(err <= INVERSE_TOLERANCE, name + ": inverse(forward(x)) off by " + err);
            double cancel = logDet.add(back.get(1)).abs().max().getDouble();
            assertTrue(
                    cancel <= 1e-6,
                    name + ": forward and inverse log-dets do not cancel: " + cancel);

            double[] bruteForce = bruteForceLogDet(block, ps, x, context);
            double[] reported = logDet.toDoubleArray();
            for (int i = 0; i < batch; i++) {
                assertEquals(
                        bruteForce[i],
                        reported[i],
                        LOGDET_TOLERANCE,
                        name + ": log-det of sample " + i + " vs brute-force Jacobian");
            }

            if (flowCase.batchIndependent()) {
                checkIndependence(block, ps, x, context, z, logDet, name);
            }
            checkGradients(block, ps, inputs(x, context), false, name);
            if (flowCase.analyticInverse()) {
                checkGradients(block, ps, inputs(z, context), true, name + " inverse");
            }
            checkSaveLoad(flowCase, block, manager, x, context, z, logDet, name);
        }
    }

    private static void assertTrue(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    private static void assertEquals(Object expected, Object actual, String message) {
        assertTrue(expected.equals(actual), message + ": expected " + expected + ", got " + actual);
    }

    private static void assertEquals(
            double expected, double actual, double tolerance, String message) {
        assertTrue(
                Math.abs(expected - actual) <= tolerance,
                message
                        + ": expected "
                        + expected
                        + ", got "
                        + actual
                        + " (tolerance "
                        + tolerance
                        + ")");
    }

    private static void assertArrayEquals(
            double[] expected, double[] actual, double tolerance, String message) {
        assertEquals(expected.length, actual.length, message + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, message + " [" + i + "]");
        }
    }

    private static NDList inputs(NDArray x, NDArray context) {
        return context == null ? new NDList(x) : new NDList(x, context);
    }

    /** Moves every trainable parameter away from its (often identity) initial value. */
    private static void perturb(FlowBlock block, NDManager manager) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.requiresGradient()) {
                NDArray array = parameter.getArray();
                NDArray noise =
                        manager.randomNormal(0, 0.3f, array.getShape(), array.getDataType());
                array.addi(noise);
            }
        }
    }

    private static void assertFinite(NDArray array, String what) {
        boolean finite = array.isNaN().logicalOr(array.isInfinite()).any().getBoolean();
        assertTrue(!finite, what + " holds NaN or Inf");
    }

    /** log|det dz/dx| per sample from a central-difference Jacobian in float64. */
    static double[] bruteForceLogDet(
            FlowBlock block, ParameterStore ps, NDArray x, NDArray context) {
        Shape shape = x.getShape();
        int batch = Math.toIntExact(shape.get(0));
        int dim = Math.toIntExact(shape.size() / batch);
        double[][][] jacobian = new double[batch][dim][dim];
        NDManager manager = x.getManager();
        for (int j = 0; j < dim; j++) {
            double[] basis = new double[dim];
            basis[j] = STEP;
            NDArray e = manager.create(basis).reshape(new Shape(1).addAll(shape.slice(1)));
            NDArray plus = block.forward(ps, inputs(x.add(e), context), false).get(0);
            NDArray minus = block.forward(ps, inputs(x.sub(e), context), false).get(0);
            double[] column = plus.sub(minus).div(2 * STEP).toDoubleArray();
            int outDim = column.length / batch;
            if (outDim != dim) {
                throw new AssertionError(
                        "output size " + outDim + " differs from input size " + dim);
            }
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < dim; i++) {
                    jacobian[b][i][j] = column[b * dim + i];
                }
            }
        }
        double[] result = new double[batch];
        for (int b = 0; b < batch; b++) {
            result[b] = logAbsDet(jacobian[b]);
        }
        return result;
    }

    /**
     * log|det A| by LU decomposition with partial pivoting.
     *
     * @param a a square matrix (modified)
     * @return log|det a|
     */
    public static double logAbsDet(double[][] a) {
        int n = a.length;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            int pivot = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[pivot][k])) {
                    pivot = i;
                }
            }
            double[] t = a[k];
            a[k] = a[pivot];
            a[pivot] = t;
            double d = a[k][k];
            if (d == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            sum += Math.log(Math.abs(d));
            for (int i = k + 1; i < n; i++) {
                double f = a[i][k] / d;
                for (int j = k; j < n; j++) {
                    a[i][j] -= f * a[k][j];
                }
            }
        }
        return sum;
    }

    private static void checkIndependence(
            FlowBlock block,
            ParameterStore ps,
            NDArray x,
            NDArray context,
            NDArray z,
            NDArray logDet,
            String name) {
        long batch = x.getShape().get(0);
        for (long i = 0; i < batch; i++) {
            String idx = i + ":" + (i + 1);
            NDArray xi = x.get(idx);
            NDArray ci = context == null ? null : context.get(idx);
            NDList alone = block.forward(ps, inputs(xi, ci), false);
            double dz = alone.get(0).sub(z.get(idx)).abs().max().getDouble();
            double dl = alone.get(1).sub(logDet.get(idx)).abs().max().getDouble();
            assertTrue(
                    dz < 1e-9 && dl < 1e-9, name + ": sample " + i + " depends on its batch mates");
        }
    }

    private static void checkGradients(
            FlowBlock block, ParameterStore ps, NDList in, boolean inverse, String name) {
        boolean trainable =
                block.getParameters().values().stream().anyMatch(Parameter::requiresGradient);
        if (!trainable) {
            return;
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDList out = inverse ? block.inverse(ps, in) : block.forward(ps, in, false);
            NDArray loss = out.get(0).square().sum().add(out.get(1).sum());
            collector.backward(loss);
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.requiresGradient()) {
                NDArray grad = parameter.getArray().getGradient();
                double norm = grad.abs().sum().getDouble();
                assertTrue(
                        Double.isFinite(norm) && norm > 0,
                        name + ": no gradient reaches parameter " + p.getKey());
                grad.subi(grad);
            }
        }
    }

    private static void checkSaveLoad(
            FlowCase flowCase,
            FlowBlock block,
            NDManager manager,
            NDArray x,
            NDArray context,
            NDArray z,
            NDArray logDet,
            String name) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            block.saveParameters(new DataOutputStream(bytes));
            // another engine seed and the case's reload factory: state drawn at construction
            // or initialization (orders, permutations, rotations) must come from the file
            Engine.getInstance().setRandomSeed(98765);
            FlowBlock loaded = flowCase.reloadFactory().get();
            loaded.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            ParameterStore ps = new ParameterStore(manager, false);
            NDList out = loaded.forward(ps, inputs(x, context), false);
            assertArrayEquals(
                    z.toDoubleArray(), out.get(0).toDoubleArray(), 1e-12, name + ": z after load");
            assertArrayEquals(
                    logDet.toDoubleArray(),
                    out.get(1).toDoubleArray(),
                    1e-12,
                    name + ": log-det after load");
        } catch (Exception e) {
            throw new AssertionError(name + ": save/load failed: " + e, e);
        }
    }
}
