package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * Digits are dequantized afresh each batch, held-out rows stay fixed, bits/dim counts the 17
 * levels.
 */
class FlowDataTest {

    private static FlowConfig digits() {
        FlowConfig config = new FlowConfig();
        config.dataset = "digits";
        config.eventShape = new long[] {64};
        config.heldOutSize = 297;
        return config;
    }

    @Test
    void digitsAreDequantizedAfreshEveryBatch() throws Exception {
        FlowConfig config = digits();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray levels = FlowData.train(config, manager).get("0:32");
            float[] v = levels.toFloatArray();
            float[] first = FlowData.trainingBatch(config, levels).toFloatArray();
            float[] second = FlowData.trainingBatch(config, levels).toFloatArray();
            int differ = 0;
            for (int i = 0; i < v.length; i++) {
                assertEquals(Math.rint(v[i]), v[i], 0, "training rows hold integer levels");
                for (float x : new float[] {first[i], second[i]}) {
                    assertTrue(
                            x >= v[i] / 17 && x < (v[i] + 1) / 17,
                            "pixel " + i + ": " + x + " for level " + v[i]);
                }
                if (first[i] != second[i]) {
                    differ++;
                }
            }
            assertEquals(v.length, differ, "every pixel gets new noise in the second batch");
        }
    }

    @Test
    void heldOutRowsAreTheSameEveryTime() throws Exception {
        FlowConfig config = digits();
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] a = FlowData.heldOut(config, manager).toFloatArray();
            float[] b = FlowData.heldOut(config, manager).toFloatArray();
            assertEquals(297 * 64, a.length);
            assertArrayEquals(a, b);
        }
    }

    @Test
    void otherDatasetsPassUnchanged() {
        FlowConfig config = new FlowConfig();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new ai.djl.ndarray.types.Shape(4, 2));
            assertSame(x, FlowData.trainingBatch(config, x));
        }
    }

    @Test
    void bitsPerDimCountsTheLevels() {
        // the uniform density on [0, 1)^64 (NLL 0) puts 1/17 on every level: log2(17) bits per
        // pixel
        assertEquals(Math.log(17) / Math.log(2), FlowData.bitsPerDim(digits(), 0.0), 1e-12);
        // 64 nats less NLL is one nat per pixel less
        assertEquals((Math.log(17) - 1) / Math.log(2), FlowData.bitsPerDim(digits(), -64.0), 1e-12);
        FlowConfig images = new FlowConfig();
        images.dataset = "fashion-mnist";
        images.eventShape = new long[] {1, 28, 28};
        assertEquals(1.0, FlowData.bitsPerDim(images, 784 * Math.log(2)), 1e-12);
    }

    @Test
    void heldOutDescriptionsSayHowTheImagesAreDequantized() {
        FlowConfig images = new FlowConfig();
        images.dataset = "fashion-mnist";
        images.eventShape = new long[] {1, 28, 28};
        images.heldOutSize = 10000;
        assertTrue(FlowData.describeHeldOut(images).contains("bin centres"));
        images.dequantization = "variational";
        String variational = FlowData.describeHeldOut(images);
        // the model's q(u | x) draws the noise: the held-out images enter as their levels
        assertTrue(
                !variational.contains("bin centres") && variational.contains("q(u | x)"),
                variational);
        FlowConfig digits = digits();
        digits.dequantization = "variational";
        assertTrue(FlowData.describeHeldOut(digits).contains("q(u | v)"));
    }
}
