package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.NormalizingFlow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single-bit flips of a model directory's params file (a seeded sample of 6000 bits over a small
 * RealNVP and a small MAF; the full sweep is flows-bench's {@code BitFlipSweep}): every flip is
 * detected before the params reach the engine, or the model loads with bit-identical scores.
 */
class BitFlipTest {

    static final float[][] ROWS = {{0.3f, -0.2f}, {1.5f, 0.7f}};

    static Path save(Path dir, String family) throws Exception {
        FlowConfig config = new FlowConfig();
        config.family = family;
        config.layers = 2;
        config.hidden = new int[] {8};
        try (Model model = Model.newInstance(family)) {
            NormalizingFlow flow = FlowFactory.build(config);
            model.setBlock(flow);
            flow.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
            ModelDirectory.save(model, config, null, dir);
        }
        return ModelDirectory.paramsFile(dir, family);
    }

    static float[] score(Path dir) throws Exception {
        try (Model model = ModelDirectory.load(dir, null);
                NDManager manager = NDManager.newBaseManager()) {
            return ((NormalizingFlow) model.getBlock())
                    .logProb(manager.create(ROWS))
                    .toFloatArray();
        }
    }

    /** Flips {@code count} seeded bits one at a time; returns how many were detected. */
    static int sweep(Path dir, Path params, int count, long seed) throws Exception {
        byte[] original = Files.readAllBytes(params);
        float[] expected = score(dir);
        Random random = new Random(seed);
        int detected = 0;
        try {
            for (int k = 0; k < count; k++) {
                long bit = Math.floorMod(random.nextLong(), original.length * 8L);
                byte[] flipped = original.clone();
                flipped[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
                Files.write(params, flipped);
                try {
                    float[] got = score(dir);
                    assertArrayEquals(
                            expected, got, 0f, "bit " + bit + " loaded and changed the scores");
                } catch (MalformedModelException e) {
                    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
                    detected++;
                }
            }
        } finally {
            Files.write(params, original);
        }
        return detected;
    }

    @Test
    void everySampledFlipIsDetectedOrHarmless(@TempDir Path dir) throws Exception {
        int total = 0;
        for (String family : new String[] {"realnvp", "maf"}) {
            Path model = dir.resolve(family);
            Path params = save(model, family);
            int detected = sweep(model, params, 3000, 20261201L);
            System.out.printf(
                    "%s: %d bytes, 3000 flips, %d detected%n",
                    family, Files.size(params), detected);
            total += detected;
        }
        // with a recorded SHA-256 nothing flipped is ever handed to the engine
        assertEquals(6000, total);
    }
}
