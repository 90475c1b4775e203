package io.github.djlflows.core.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.InputOutsideDomainException;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Glow;
import io.github.djlflows.core.image.Dequantize;
import io.github.djlflows.core.image.LogitTransform;
import org.junit.jupiter.api.Test;

/** Extreme values through the image pipeline: finite log-dets both ways, samples that score. */
class HostileImageInputTest {

    private static final Shape ROW = new Shape(1, 1, 1, 8);

    @Test
    void logitInverseLogDetIsFiniteAndExactForLargeLatentsInFloat32() {
        try (NDManager m = NDManager.newBaseManager()) {
            double alpha = 0.05;
            LogitTransform logit = new LogitTransform(alpha);
            logit.initialize(m, DataType.FLOAT32, ROW);
            ParameterStore ps = new ParameterStore(m, false);
            double[] ys = {-1e4, -100, -17, -3, 0, 2.9, 17, 1e4};
            float[] yf = new float[ys.length];
            for (int i = 0; i < ys.length; i++) {
                yf[i] = (float) ys[i];
            }
            NDArray y = m.create(yf, ROW);
            NDList inverse = logit.inverse(ps, new NDList(y));
            double logDet = inverse.get(1).getFloat(0);
            double edge = Math.log((1 - alpha) / alpha);
            double expected = 0;
            for (double v : ys) {
                double c = Math.max(-edge, Math.min(edge, v));
                double p = 1 / (1 + Math.exp(-c));
                expected += Math.log(p) + Math.log(1 - p) - Math.log(1 - 2 * alpha);
            }
            assertEquals(expected, logDet, 1e-4 * Math.abs(expected), "inverse log-det");
            // the samples map back to the same latents, with the opposite log-det
            NDList forward = logit.forward(ps, new NDList(inverse.get(0)), false);
            float[] back = forward.get(0).toFloatArray();
            for (int i = 0; i < ys.length; i++) {
                assertEquals(ys[i], back[i], 1e-4 * Math.max(1, Math.abs(ys[i])), "y = " + ys[i]);
            }
            assertEquals(-logDet, forward.get(1).getFloat(0), 1e-4 * Math.abs(logDet));
        }
    }

    @Test
    void pixelsScaledToUnitIntervalAreNamedAndRawPixelsScore() {
        try (NDManager m = NDManager.newBaseManager()) {
            NormalizingFlow flow =
                    NormalizingFlow.builder()
                            .setFlow(FlowSequence.of(new Dequantize(), new LogitTransform(0.05)))
                            .setBase(new StandardNormal(ROW.slice(1)))
                            .build();
            flow.initialize(m, DataType.FLOAT32, new Shape(2, 1, 1, 8));
            float[] scaled = {0, 0.2f, 0.5f, 1, 0.9f, 0.1f, 0, 0.3f};
            float[] raw = new float[scaled.length];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = Math.round(scaled[i] * 255);
            }
            float[] both = new float[16];
            System.arraycopy(raw, 0, both, 0, 8);
            System.arraycopy(scaled, 0, both, 8, 8);
            NDArray batch = m.create(both, new Shape(2, 1, 1, 8));
            String message =
                    assertThrows(InputOutsideDomainException.class, () -> flow.logProb(batch))
                            .getMessage();
            assertTrue(
                    message.contains("0-255")
                            && message.contains("sample 1")
                            && message.contains("[0.0, 1.0]"),
                    message);
            // raw pixels, a dark image of 0s and 1s, and values a sample can take outside [0, 255]
            float[] dark = {0, 1, 1, 0, 0, 0, 1, 0};
            float[] outside = {-20, 0, 128.5f, 255, 300, 7.25f, 1e4f, -1e4f};
            for (float[] image : new float[][] {raw, dark, outside}) {
                float[] lp = flow.logProb(m.create(image, ROW)).toFloatArray();
                assertTrue(Float.isFinite(lp[0]), "log p " + lp[0]);
            }
        }
    }

    @Test
    void samplesOfAGlowPipelineScoreToTheirReturnedLogProbEvenFarOut() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape image = new Shape(1, 4, 4);
            NormalizingFlow flow =
                    NormalizingFlow.builder()
                            .setFlow(
                                    FlowSequence.of(
                                            new Dequantize(),
                                            new LogitTransform(0.05),
                                            Glow.builder()
                                                    .setInputShape(image)
                                                    .optLevels(1)
                                                    .optSteps(2)
                                                    .optHiddenChannels(8)
                                                    .build()))
                            .setBase(new StandardNormal(image))
                            .build();
            flow.initialize(m, DataType.FLOAT32, new Shape(64).addAll(image));
            Engine.getInstance().setRandomSeed(5);
            ParameterStore ps = new ParameterStore(m, false);
            // latents up to 40 standard deviations out: the logit's saturated region
            NDArray z = m.randomNormal(new Shape(64).addAll(image)).mul(10);
            NDList decoded = flow.getFlow().inverse(ps, new NDList(z));
            float[] returned =
                    flow.getBase().logProb(ps, z, false).sub(decoded.get(1)).toFloatArray();
            float[] again = flow.logProb(decoded.get(0)).toFloatArray();
            for (int i = 0; i < returned.length; i++) {
                assertTrue(Float.isFinite(returned[i]) && Float.isFinite(again[i]), "sample " + i);
                assertEquals(
                        returned[i], again[i], 1e-4 * Math.abs(returned[i]) + 1e-3, "sample " + i);
            }
        }
    }
}
