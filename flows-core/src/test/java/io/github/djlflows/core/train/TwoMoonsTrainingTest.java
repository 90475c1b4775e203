package io.github.djlflows.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.testing.Fitting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RealNVP trained on two-moons with EasyTrain: held-out NLL, normalisation, save/load, Predictor.
 */
class TwoMoonsTrainingTest {

    private static NDManager manager;
    private static Model model;
    private static NormalizingFlow flow;
    private static NDArray heldOut;

    static NormalizingFlow newFlow() {
        return NormalizingFlow.builder()
                .setFlow(
                        RealNvp.builder()
                                .setDimension(2)
                                .optCouplings(6)
                                .optHiddenSizes(64, 64)
                                .build())
                .setBase(new StandardNormal(new Shape(2)))
                .build();
    }

    @BeforeAll
    static void train() {
        Engine.getInstance().setRandomSeed(42);
        manager = NDManager.newBaseManager();
        NDArray train = ToyDensity.TWO_MOONS.sample(manager, 20_000, 1);
        heldOut = ToyDensity.TWO_MOONS.sample(manager, 10_000, 2);
        flow = newFlow();
        model = Model.newInstance("two-moons");
        model.setBlock(flow);
        Fitting.fit(model, train, 25, 256, 2e-3f);
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    @Test
    void heldOutNllReachesTarget() {
        double nll = Fitting.nll(flow, heldOut);
        System.out.printf("RealNVP two-moons held-out NLL: %.4f nats%n", nll);
        assertTrue(nll <= 1.45, "held-out NLL " + nll + " > 1.45");
        assertTrue(
                nll >= 1.0, "held-out NLL " + nll + " is below the data's entropy (~1.12): a bug");
    }

    @Test
    void densityIntegratesToOne() {
        int n = 400;
        double lo = -5;
        double hi = 5;
        double step = (hi - lo) / n;
        float[] grid = new float[2 * n * n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                grid[k++] = (float) (lo + (i + 0.5) * step);
                grid[k++] = (float) (lo + (j + 0.5) * step);
            }
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray points = sub.create(grid, new Shape((long) n * n, 2));
            double mass = flow.logProb(points).exp().sum().getFloat() * step * step;
            System.out.printf("RealNVP two-moons density mass on [-5,5]^2: %.4f%n", mass);
            assertEquals(1.0, mass, 0.02, "density does not integrate to 1");
        }
    }

    @Test
    void samplesLookLikeTheData() {
        try (NDManager sub = manager.newSubManager()) {
            NDArray samples = flow.sample(sub, 5000, 7L);
            assertEquals(new Shape(5000, 2), samples.getShape());
            NDArray again = flow.sample(sub, 5000, 7L);
            assertArrayEquals(
                    samples.toFloatArray(), again.toFloatArray(), "same seed, same samples");
            // samples must be spread as the data: below each of the held-out data's 5%, 25%, 50%,
            // 75% and 95% quantiles of a coordinate lie about that fraction of the samples (a
            // Kolmogorov-style check; sample moments are dominated by a few far tail samples)
            double[] at = {0.05, 0.25, 0.5, 0.75, 0.95};
            for (int c = 0; c < 2; c++) {
                float[] sampled = samples.get(":, " + c).toFloatArray();
                float[] data = heldOut.get(":, " + c).toFloatArray();
                java.util.Arrays.sort(data);
                for (double p : at) {
                    double q = data[(int) Math.round(p * (data.length - 1))];
                    long below = 0;
                    for (float v : sampled) {
                        below += v < q ? 1 : 0;
                    }
                    assertEquals(
                            p,
                            below / (double) sampled.length,
                            0.05,
                            "samples below the data's " + p + " quantile of coordinate " + c);
                }
            }
            // samples must be likely under the model: mean log-prob close to -NLL
            double sampleNll = -flow.logProb(samples).mean().getFloat();
            assertEquals(Fitting.nll(flow, heldOut), sampleNll, 0.15);
        }
    }

    @Test
    void saveLoadAndPredictorReproduceLogProb(@TempDir Path dir) throws Exception {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = heldOut.get("0:64");
            float[] expected = flow.logProb(x).toFloatArray();
            model.save(dir, "two-moons");
            assertTrue(Files.exists(dir.resolve("two-moons-0000.params")));
            try (Model loaded = Model.newInstance("two-moons")) {
                NormalizingFlow fresh = newFlow();
                loaded.setBlock(fresh);
                loaded.load(dir, "two-moons");
                assertArrayEquals(expected, fresh.logProb(x).toFloatArray(), 1e-5f);
                try (Predictor<NDList, NDList> predictor =
                        loaded.newPredictor(new NoopTranslator())) {
                    NDList out = predictor.predict(new NDList(x));
                    assertEquals(3, out.size(), "z, logDet, logProb");
                    assertArrayEquals(expected, out.get(2).toFloatArray(), 1e-5f);
                }
            }
        }
    }
}
