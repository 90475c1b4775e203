package io.github.djlflows.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.Uniform;
import io.github.djlflows.core.train.NegativeLogLikelihood;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Variational dequantization: z stays in the data point's bin, the log-det is -D ln L - log q(u|x)
 * (checked against the closed-form logistic-normal density of the zero-initialised q), the bound is
 * never below the exact NLL of a model that is uniform within bins, and training q tightens it.
 */
class VariationalDequantizeTest {

    private static final Shape EVENT = new Shape(1, 2, 3);
    private static final int LEVELS = 17;

    private static NDArray pixels(NDManager manager, int batch, DataType type) {
        return manager.randomInteger(0, LEVELS, new Shape(batch).addAll(EVENT), DataType.INT32)
                .toType(type, false);
    }

    /** q with a perceptron of the whole image, or with a conv network of each neighbourhood. */
    private static VariationalDequantize layer(boolean convolutional) {
        return layer(convolutional, DequantizationNoise.INITIAL_SCALE);
    }

    private static VariationalDequantize layer(boolean convolutional, double initialScale) {
        return VariationalDequantize.builder()
                .setInputShape(EVENT)
                .optLevels(LEVELS)
                .optHiddenSizes(8)
                .optHiddenChannels(convolutional ? 8 : 0)
                .optInitialScale(initialScale)
                .build();
    }

    @ParameterizedTest(name = "convolutional q: {0}")
    @ValueSource(booleans = {false, true})
    void staysInTheBinWithTheLogDetOfQ(boolean convolutional) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            VariationalDequantize vd = layer(convolutional);
            vd.initialize(manager, DataType.FLOAT64, new Shape(4).addAll(EVENT));
            NDArray x = pixels(manager, 4, DataType.FLOAT64);
            ParameterStore ps = new ParameterStore(manager, false);
            NDList out = vd.forward(ps, new NDList(x), false);
            double[] xs = x.toDoubleArray();
            double[] zs = out.get(0).toDoubleArray();
            double[] logDet = out.get(1).toDoubleArray();
            int d = (int) EVENT.size();
            for (int i = 0; i < 4; i++) {
                double logQ = 0;
                for (int j = 0; j < d; j++) {
                    double u = zs[i * d + j] * LEVELS - xs[i * d + j];
                    assertTrue(u > 0 && u < 1, "u = " + u + " outside (0, 1)");
                    // zero-initialised q: u = sigmoid(s0 eps), density N(logit(u) / s0) / (s0 u (1
                    // - u))
                    double s0 = DequantizationNoise.INITIAL_SCALE;
                    double e = Math.log(u / (1 - u)) / s0;
                    logQ +=
                            -0.5 * e * e
                                    - 0.5 * Math.log(2 * Math.PI)
                                    - Math.log(s0)
                                    - Math.log(u)
                                    - Math.log(1 - u);
                }
                assertEquals(
                        -d * Math.log(LEVELS) - logQ, logDet[i], 1e-8, "log-det of sample " + i);
            }
            assertArrayEquals(
                    xs, vd.inverse(ps, new NDList(out.get(0))).get(0).toDoubleArray(), 0.0);
        }
    }

    @ParameterizedTest(name = "convolutional q: {0}")
    @ValueSource(booleans = {false, true})
    void boundIsAboveTheExactNllAndTrainingQTightensIt(boolean convolutional) {
        Engine.getInstance().setRandomSeed(5);
        // with p uniform on [0, 1)^D every bin has mass L^-D: exact -log P = D ln L; the bound
        // is D ln L + E_q[log q] = D ln L + KL(q || U) >= D ln L
        NormalizingFlow flow =
                NormalizingFlow.builder()
                        // sigma0 = 1: a start 0.19 nats per feature looser than the uniform
                        .setFlow(layer(convolutional, 1))
                        .setBase(new Uniform(EVENT, 0, 1))
                        .build();
        double exact = EVENT.size() * Math.log(LEVELS);
        NegativeLogLikelihood nll = new NegativeLogLikelihood();
        try (Model model = Model.newInstance("vd");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(flow);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.02f)).build();
            try (Trainer trainer =
                    model.newTrainer(new DefaultTrainingConfig(nll).optOptimizer(adam))) {
                trainer.initialize(new Shape(256).addAll(EVENT));
                NDArray x = pixels(data, 4096, DataType.FLOAT32);
                double before = -flow.logProb(x).mean().getFloat();
                for (int step = 0; step < 150; step++) {
                    try (NDManager batch = data.newSubManager()) {
                        NDArray xb = pixels(batch, 256, DataType.FLOAT32);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            collector.backward(nll.evaluate(null, trainer.forward(new NDList(xb))));
                        }
                        trainer.step();
                    }
                }
                double after = -flow.logProb(x).mean().getFloat();
                System.out.printf(
                        "VD bound on a uniform model: %.4f -> %.4f nats (exact %.4f)%n",
                        before, after, exact);
                // a Monte Carlo mean over 4096 draws: allow a little slack below the exact value
                assertTrue(
                        after > exact - 0.02, "bound " + after + " below the exact NLL " + exact);
                assertTrue(
                        before - exact > 0.1,
                        "the logistic-normal start is looser: " + (before - exact));
                assertTrue(
                        after - exact < (before - exact) / 2,
                        "training q halves the gap: " + before + " -> " + after);
            }
        }
    }

    @Test
    void aNewQIsNearlyTheUniform() {
        Engine.getInstance().setRandomSeed(9);
        // E_q[log q] of the logistic-normal with sigma0 = 1.75 is 0.0095 nats per feature
        NormalizingFlow flow =
                NormalizingFlow.builder()
                        .setFlow(layer(true))
                        .setBase(new Uniform(EVENT, 0, 1))
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            flow.initialize(manager, DataType.FLOAT64, new Shape(1).addAll(EVENT));
            NDArray x = pixels(manager, 20000, DataType.FLOAT64);
            double gap = -flow.logProb(x).mean().getDouble() - EVENT.size() * Math.log(LEVELS);
            assertEquals(EVENT.size() * 0.00953, gap, 0.01, "KL(q || U) of a new q");
        }
    }

    /**
     * In evaluation a row's noise is seeded by its values: the same row gets the same log-density
     * on every call and in any batch, and different rows get different draws.
     */
    @ParameterizedTest(name = "convolutional q: {0}")
    @ValueSource(booleans = {false, true})
    void evaluationIsDeterministicPerRow(boolean convolutional) {
        Engine.getInstance().setRandomSeed(5);
        VariationalDequantize layer = layer(convolutional);
        try (NDManager manager = NDManager.newBaseManager()) {
            layer.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(EVENT));
            NDArray x = pixels(manager, 40, DataType.FLOAT32);
            ParameterStore ps = new ParameterStore(manager, false);
            NDList whole = layer.forward(ps, new NDList(x), false);
            float[] logDet = whole.get(1).toFloatArray();
            assertArrayEquals(
                    logDet,
                    layer.forward(ps, new NDList(x), false).get(1).toFloatArray(),
                    "a second call");
            for (int i = 0; i < 40; i += 13) {
                NDList alone = layer.forward(ps, new NDList(x.get(i + ":" + (i + 1))), false);
                assertEquals(logDet[i], alone.get(1).getFloat(0), 1e-5f, "row " + i + " alone");
                assertArrayEquals(
                        whole.get(0).get(i).toFloatArray(),
                        alone.get(0).get(0).toFloatArray(),
                        1e-6f,
                        "row " + i + " alone: z");
            }
            NDArray twice = x.get("0:1").concat(x.get("0:1"));
            float[] same = layer.forward(ps, new NDList(twice), false).get(1).toFloatArray();
            assertEquals(same[0], same[1], 0f, "the same values, the same draw");
            java.util.Set<Float> distinct = new java.util.HashSet<>();
            for (float v : logDet) {
                distinct.add(v);
            }
            assertTrue(distinct.size() > 30, distinct.size() + " distinct log-dets of 40 rows");
        }
    }
}
