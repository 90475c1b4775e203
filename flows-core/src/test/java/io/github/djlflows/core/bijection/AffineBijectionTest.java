package io.github.djlflows.core.bijection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The soft clamp {@code B tanh(raw / B)} in both of its forms (tanh below {@link
 * AffineBijection#SIGMOID_FORM_MIN_VALUES} values per sample, sigmoid from there): value and
 * derivative against Java's {@code Math.tanh} in float64, from 0 to far into saturation.
 */
class AffineBijectionTest {

    private static final double BOUND = 3.0;

    @ParameterizedTest(name = "{0} values per sample")
    @ValueSource(ints = {1, 7, 8, 16})
    void softClampIsBoundTimesTanhOfRawOverBoundWithItsDerivative(int width) {
        double[] raw = new double[3 * width];
        double[] scales = {0, 1e-9, 0.3, -2, 7.5, -40, 1e4, -1e4};
        for (int i = 0; i < raw.length; i++) {
            raw[i] = scales[i % scales.length] * (1 + 0.1 * (i / scales.length));
        }
        try (NDManager m = NDManager.newBaseManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = m.create(raw, new Shape(3, width));
            x.setRequiresGradient(true);
            NDArray s = AffineBijection.softClamp(x, BOUND);
            collector.backward(s.sum());
            double[] value = s.toDoubleArray();
            double[] slope = x.getGradient().toDoubleArray();
            for (int i = 0; i < raw.length; i++) {
                double t = Math.tanh(raw[i] / BOUND);
                assertEquals(BOUND * t, value[i], 1e-12, "s(" + raw[i] + ")");
                assertEquals(1 - t * t, slope[i], 1e-12, "ds/draw at " + raw[i]);
            }
            // zero raw output is the identity map: s is exactly 0 in both forms
            assertEquals(0.0, value[0], 0.0);
        }
    }
}
