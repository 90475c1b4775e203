package io.github.djlflows.core.autoregressive;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.DigitsCsv;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.AutoregressiveStackBuilder;
import io.github.djlflows.core.flows.Maf;
import io.github.djlflows.core.testing.Fitting;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MAF trained with EasyTrain: two-moons held-out NLL, and 64-D digits without NaN. */
class MafTrainingTest {

    private static NormalizingFlow flow(AutoregressiveStackBuilder stack, long dimension) {
        return NormalizingFlow.builder()
                .setFlow(stack.setDimension(dimension).build())
                .setBase(new StandardNormal(new Shape(dimension)))
                .build();
    }

    @Test
    void twoMoonsHeldOutNll() {
        Engine.getInstance().setRandomSeed(42);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("maf-two-moons")) {
            NDArray train = ToyDensity.TWO_MOONS.sample(manager, 20_000, 1);
            NDArray heldOut = ToyDensity.TWO_MOONS.sample(manager, 10_000, 2);
            NormalizingFlow flow = flow(Maf.builder().optLayers(6).optHiddenSizes(64, 64), 2);
            model.setBlock(flow);
            long start = System.nanoTime();
            Fitting.fit(model, train, 12, 256, 3e-3f);
            double seconds = (System.nanoTime() - start) / 1e9;
            double nll = Fitting.nll(flow, heldOut);
            System.out.printf(
                    "MAF two-moons held-out NLL: %.4f nats (training %.1f s)%n", nll, seconds);
            assertTrue(nll <= 1.45, "held-out NLL " + nll + " > 1.45");
            assertTrue(
                    nll >= 1.0,
                    "held-out NLL " + nll + " is below the data's entropy (~1.12): a bug");
        }
    }

    /** Writes n synthetic digits: a random stroke pattern per class plus noise, values 0..16. */
    static void writeSyntheticDigits(Path file, int n, long seed) throws IOException {
        Random random = new Random(seed);
        int[][] prototypes = new int[10][DigitsCsv.PIXELS];
        for (int[] prototype : prototypes) {
            for (int j = 0; j < DigitsCsv.PIXELS; j++) {
                prototype[j] = random.nextInt(3) == 0 ? 12 : 0;
            }
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
                PrintWriter writer = new PrintWriter(out, false, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < n; i++) {
                int label = random.nextInt(10);
                StringBuilder row = new StringBuilder();
                for (int j = 0; j < DigitsCsv.PIXELS; j++) {
                    int v = prototypes[label][j] + random.nextInt(5) - 2;
                    row.append(Math.max(0, Math.min(DigitsCsv.MAX_PIXEL, v))).append(',');
                }
                writer.println(row.append(label));
            }
        }
    }

    @Test
    void mafTrainsOnDigitsWithoutNaN(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("digits.csv.gz");
        writeSyntheticDigits(file, 512, 3);
        DigitsCsv digits = DigitsCsv.read(file);
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("maf-digits")) {
            // uniform dequantization, then scale to roughly unit range
            NDArray pixels = digits.pixels(manager);
            NDArray x =
                    pixels.add(manager.randomUniform(0, 1, pixels.getShape(), DataType.FLOAT32))
                            .div(DigitsCsv.MAX_PIXEL + 1)
                            .sub(0.5)
                            .mul(4);
            NormalizingFlow flow =
                    flow(Maf.builder().optLayers(5).optHiddenSizes(128), DigitsCsv.PIXELS);
            model.setBlock(flow);
            flow.initialize(manager, DataType.FLOAT32, new Shape(64, DigitsCsv.PIXELS));
            double before = Fitting.nll(flow, x);
            Fitting.fit(model, x, 8, 64, 1e-3f);
            double after = Fitting.nll(flow, x);
            System.out.printf("MAF synthetic digits NLL: %.2f -> %.2f nats%n", before, after);
            assertTrue(Double.isFinite(after), "NLL after training is " + after);
            assertTrue(
                    after < before - 10,
                    "training did not lower the NLL: " + before + " -> " + after);
            NDArray samples = flow.sample(manager, 16, 1L);
            assertTrue(!samples.isNaN().any().getBoolean(), "samples hold NaN");
        }
    }
}
