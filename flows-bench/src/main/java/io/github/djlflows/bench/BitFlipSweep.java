package io.github.djlflows.bench;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.ModelDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Flips every single bit of a model directory's params file, one at a time, and loads the directory
 * after each flip: counts flips detected before loading, flips that loaded with bit-identical
 * log-densities, and flips that changed them (silent changes) or failed otherwise. The CI test
 * {@code BitFlipTest} runs a seeded sample of the same loop.
 *
 * <pre>
 * java -Dai.djl.offline=true -cp flows-bench/target/benchmarks.jar io.github.djlflows.bench.BitFlipSweep realnvp maf
 * </pre>
 */
public final class BitFlipSweep {

    private static final float[][] ROWS = {{0.3f, -0.2f}, {1.5f, 0.7f}};

    private BitFlipSweep() {}

    /**
     * Runs the sweep over small two-layer models of the given families (default realnvp and maf).
     *
     * @param args family names
     * @throws Exception if a model cannot be built or saved
     */
    public static void main(String[] args) throws Exception {
        String[] families = args.length > 0 ? args : new String[] {"realnvp", "maf"};
        Path root = Files.createTempDirectory("bitflips");
        for (String family : families) {
            FlowConfig config = new FlowConfig();
            config.family = family;
            config.layers = 2;
            config.hidden = new int[] {8};
            Path dir = root.resolve(family);
            try (Model model = Model.newInstance(family)) {
                NormalizingFlow flow = FlowFactory.build(config);
                model.setBlock(flow);
                flow.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
                ModelDirectory.save(model, config, null, dir);
            }
            Path params = ModelDirectory.paramsFile(dir, family);
            byte[] original = Files.readAllBytes(params);
            float[] expected = score(dir);
            long detected = 0;
            long harmless = 0;
            long changed = 0;
            long other = 0;
            long start = System.nanoTime();
            for (long bit = 0; bit < original.length * 8L; bit++) {
                byte[] flipped = original.clone();
                flipped[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
                Files.write(params, flipped);
                try {
                    if (Arrays.equals(expected, score(dir))) {
                        harmless++;
                    } else {
                        changed++;
                    }
                } catch (MalformedModelException e) {
                    detected++;
                } catch (Exception | OutOfMemoryError e) {
                    other++;
                }
            }
            Files.write(params, original);
            System.out.printf(
                    "%s: %d bytes, %d flips: %d detected, %d loaded identical, %d silent changes,"
                            + " %d other errors (%.1f s)%n",
                    family,
                    original.length,
                    original.length * 8L,
                    detected,
                    harmless,
                    changed,
                    other,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static float[] score(Path dir) throws Exception {
        try (Model model = ModelDirectory.load(dir, null);
                NDManager manager = NDManager.newBaseManager()) {
            return ((NormalizingFlow) model.getBlock())
                    .logProb(manager.create(ROWS))
                    .toFloatArray();
        }
    }
}
