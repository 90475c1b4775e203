package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.cli.FlowsCli;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run whose validation NLL diverges stops with its message and still saves the best validated
 * weights, with a record of the stop, in either training loop and through {@code flows train}.
 */
class DivergedRunTest {

    /** {@link DataParallelValidationTest#overfitting}, with a tight divergence bar. */
    private static FlowConfig overfitting() {
        FlowConfig config = DataParallelValidationTest.overfitting();
        config.steps = 400;
        config.divergenceNatsPerDim = 0.25; // half a nat above the best counts as diverged
        return config;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void divergedRunSavesItsBestValidatedWeights(int workers, @TempDir Path dir) throws Exception {
        FlowConfig config = overfitting();
        Path out = dir.resolve("model");
        DivergedRunException e =
                assertThrows(
                        DivergedRunException.class,
                        () -> new ArtifactTrainer(config, out).optWorkers(workers).train());
        assertTrue(e.getCause() instanceof ValidationDivergedException, e.toString());
        assertEquals(out, e.getModelDir());
        assertTrue(e.getMessage().startsWith("training diverged"), e.getMessage());
        assertTrue(e.getMessage().contains("were saved to " + out), e.getMessage());
        FlowMetrics metrics;
        try (InputStream in = Files.newInputStream(out.resolve("metrics.json"))) {
            metrics = FlowMetrics.read(in, "metrics.json");
        }
        assertTrue(metrics.stopped.startsWith("training diverged"), metrics.stopped);
        assertTrue(
                metrics.steps < config.steps && metrics.steps % config.validateEvery == 0,
                "steps should be the diverging validation's, got " + metrics.steps);
        assertTrue(metrics.bestStep < metrics.steps, "best " + metrics.bestStep);
        assertEquals(
                metrics.bestValidationNll,
                DataParallelValidationTest.savedValidationNll(config, out),
                1e-4,
                "the saved weights are not the best validated ones");
        assertFalse(Files.exists(out.resolve("checkpoint")), "the diverged checkpoint is left");
    }

    @Test
    void flowsTrainKeepsTheSavedModelAndFails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        overfitting().write(file);
        Path out = dir.resolve("model");
        int code = FlowsCli.run("train", "--config", file.toString(), "--out", out.toString());
        assertEquals(2, code, "a diverged run must not exit 0");
        assertTrue(Files.exists(out.resolve("metrics.json")), "the saved model was removed");
    }

    @Test
    void csvRunWhoseLossTurnsNanKeepsItsBestEpoch(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("moons.csv");
        StringBuilder rows = new StringBuilder("a,b\n");
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] xy = ToyDensity.TWO_MOONS.sample(manager, 1000, 5).toFloatArray();
            for (int i = 0; i < xy.length; i += 2) {
                rows.append(xy[i]).append(',').append(xy[i + 1]).append('\n');
            }
        }
        Files.writeString(csv, rows);
        Path out = dir.resolve("model");
        // one step per epoch (the batch holds every training row) at a rate MAF cannot take:
        // the first epochs validate, a later step's loss is NaN
        int code =
                FlowsCli.run(
                        "train",
                        "--input",
                        csv.toString(),
                        "--family",
                        "maf",
                        "--lr",
                        "100",
                        "--schedule",
                        "fixed",
                        "--batch-size",
                        "1000",
                        "--epochs",
                        "30",
                        "--out",
                        out.toString());
        assertEquals(2, code, "a run that turned NaN must not exit 0");
        FlowMetrics metrics;
        try (InputStream in = Files.newInputStream(out.resolve("metrics.json"))) {
            metrics = FlowMetrics.read(in, "metrics.json");
        }
        assertTrue(metrics.stopped.contains("NaN"), metrics.stopped);
        assertTrue(Double.isFinite(metrics.value), "test NLL of the kept epoch " + metrics.value);
        assertTrue(metrics.steps < 30, "steps " + metrics.steps);
    }
}
