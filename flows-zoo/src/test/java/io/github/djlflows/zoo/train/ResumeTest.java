package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.train.TrainingCheckpoint.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped partway resumes from its checkpoint, with one worker or several, and a checkpoint
 * that cannot be written leaves the previous one whole.
 */
class ResumeTest {

    private static FlowConfig config() {
        FlowConfig config = new FlowConfig();
        config.family = "realnvp";
        config.dataset = "two-moons";
        config.layers = 2;
        config.hidden = new int[] {16, 16};
        config.steps = 40;
        config.batchSize = 32;
        config.trainSize = 256;
        config.heldOutSize = 200;
        config.validationSize = 100;
        config.validateEvery = 20;
        return config;
    }

    @Test
    void twoWorkersResumeAndSaveAgain(@TempDir Path dir) throws Exception {
        resumesTwiceAndFinishes(dir, 2);
    }

    @Test
    void oneWorkerResumesAndSavesAgain(@TempDir Path dir) throws Exception {
        resumesTwiceAndFinishes(dir, 1);
    }

    /** Three runs of 15 steps: each later one resumes, writes checkpoints, the last the model. */
    private static void resumesTwiceAndFinishes(Path dir, int workers) throws Exception {
        FlowConfig config = config();
        Path out = dir.resolve("model");
        for (int run = 1; run <= 2; run++) {
            FlowMetrics partway =
                    new ArtifactTrainer(config, out)
                            .optWorkers(workers)
                            .optCheckpointEvery(10)
                            .optMaxStepsThisRun(15)
                            .train();
            assertNull(partway, "run " + run + " of 15 steps cannot have finished 40");
            assertEquals(
                    Integer.toString(15 * run),
                    Files.readString(out.resolve("checkpoint/step.txt")).trim());
        }
        FlowMetrics metrics =
                new ArtifactTrainer(config, out)
                        .optWorkers(workers)
                        .optCheckpointEvery(10)
                        .optMaxStepsThisRun(15)
                        .train();
        assertNotNull(metrics, "the third run should finish");
        assertEquals(40, metrics.steps);
        assertEquals(3, metrics.runs);
        assertTrue(Double.isFinite(metrics.value), "held-out " + metrics.value);
        assertFalse(Files.exists(out.resolve("checkpoint")), "a finished run keeps no checkpoint");
        assertEquals(
                metrics.bestValidationNll,
                DataParallelValidationTest.savedValidationNll(config, out),
                1e-4,
                "the saved model is not the one validated");
    }

    @Test
    void aFailedSaveKeepsThePreviousCheckpoint(@TempDir Path dir) throws Exception {
        FlowConfig config = config();
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(dir, config);
        float[] saved;
        try (Model model = Model.newInstance("m")) {
            NormalizingFlow flow = FlowFactory.build(config);
            model.setBlock(flow);
            flow.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
            saved = firstParameter(model);
            checkpoint.save(model, new Progress(5, 1.5, 1));
        }
        try (Model unready = Model.newInstance("m")) {
            unready.setBlock(FlowFactory.build(config)); // never initialised: Model.save throws
            IOException e =
                    assertThrows(
                            IOException.class,
                            () -> checkpoint.save(unready, new Progress(10, 3.0, 1)));
            assertTrue(
                    e.getMessage().contains("step 10") && e.getMessage().contains("is kept"),
                    e.getMessage());
        }
        try (Model model = Model.newInstance("m")) {
            model.setBlock(FlowFactory.build(config));
            Progress progress = checkpoint.resume(model);
            assertEquals(5, progress.step);
            assertEquals(1.5, progress.seconds);
            assertArrayEquals(saved, firstParameter(model));
        }
    }

    @Test
    void aStopWhileReplacingResumesFromThePrevious(@TempDir Path dir) throws Exception {
        FlowConfig config = config();
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(dir, config);
        try (Model model = Model.newInstance("m")) {
            NormalizingFlow flow = FlowFactory.build(config);
            model.setBlock(flow);
            flow.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 2));
            checkpoint.save(model, new Progress(7, 2.0, 1));
        }
        // the moment between moving the old checkpoint aside and moving the new one in
        Files.move(dir.resolve("checkpoint"), dir.resolve("checkpoint.previous"));
        try (Model model = Model.newInstance("m")) {
            model.setBlock(FlowFactory.build(config));
            assertEquals(7, checkpoint.resume(model).step);
        }
    }

    @Test
    void anotherConfigIsRefusedByName(@TempDir Path dir) throws Exception {
        FlowConfig config = config();
        Path out = dir.resolve("model");
        new ArtifactTrainer(config, out).optMaxStepsThisRun(5).train();
        FlowConfig deeper = config();
        deeper.layers = 3;
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> new ArtifactTrainer(deeper, out).optMaxStepsThisRun(5).train());
        assertTrue(
                e.getMessage().contains("layers: 2 there, 3 now")
                        && e.getMessage().contains("start afresh"),
                e.getMessage());
        // an older checkpoint has no config: the parameters that do not fit are named instead
        Files.delete(out.resolve("checkpoint/config.json"));
        IOException old =
                assertThrows(
                        IOException.class,
                        () -> new ArtifactTrainer(deeper, out).optMaxStepsThisRun(5).train());
        assertTrue(old.getMessage().contains("does not fit the model"), old.getMessage());
        assertEquals("5", Files.readString(out.resolve("checkpoint/step.txt")).trim());
    }

    private static float[] firstParameter(Model model) {
        return model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
    }
}
