package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --threads N}: data-parallel training, and scoring and sampling split across threads. */
class ThreadsCliTest {

    private static String[] score(Path model, Path input, int threads) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            assertEquals(
                    0,
                    FlowsCli.run(
                            "score",
                            "--model",
                            model.toString(),
                            "--input",
                            input.toString(),
                            "--threads",
                            Integer.toString(threads)));
        } finally {
            System.setOut(old);
        }
        return captured.toString().trim().split("\\R");
    }

    @Test
    void threadsGiveTheOneThreadResults(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        assertEquals(
                0,
                FlowsCli.run(
                        "train",
                        "--dataset",
                        "eight-gaussians",
                        "--steps",
                        "40",
                        "--layers",
                        "2",
                        "--threads",
                        "2",
                        "--out",
                        model.toString()));
        // the option reaches the trainer: zero workers is refused
        assertNotEquals(
                0,
                FlowsCli.run(
                        "train",
                        "--steps",
                        "2",
                        "--layers",
                        "1",
                        "--threads",
                        "0",
                        "--out",
                        dir.resolve("refused").toString()));
        String metrics = Files.readString(model.resolve("metrics.json"));
        assertTrue(metrics.contains("\"steps\": 40"), metrics);
        Path one = dir.resolve("one.csv");
        Path two = dir.resolve("two.csv");
        assertEquals(
                0,
                FlowsCli.run(
                        "sample",
                        "--model",
                        model.toString(),
                        "-n",
                        "33",
                        "--seed",
                        "3",
                        "--out",
                        one.toString()));
        assertEquals(
                0,
                FlowsCli.run(
                        "sample",
                        "--model",
                        model.toString(),
                        "-n",
                        "33",
                        "--seed",
                        "3",
                        "--threads",
                        "2",
                        "--out",
                        two.toString()));
        List<String> rows = Files.readAllLines(one);
        assertEquals(34, rows.size(), "a header and 33 samples");
        assertEquals(
                rows, Files.readAllLines(two), "2-thread samples differ from 1-thread samples");
        String[] scoresOne = score(model, one, 1);
        String[] scoresTwo = score(model, one, 2);
        assertEquals(34, scoresTwo.length, "a header and 33 scores");
        for (int i = 1; i < scoresOne.length; i++) {
            assertEquals(
                    Double.parseDouble(scoresOne[i].split(",")[1]),
                    Double.parseDouble(scoresTwo[i].split(",")[1]),
                    1e-5,
                    "row " + i);
        }
    }

    /**
     * CSV training with two data-parallel workers follows the one-worker run from the same seed:
     * the same batches, the same update up to float rounding. 800 training rows in batches of 799
     * make each epoch's last batch a single row, fewer than the workers.
     */
    @Test
    void csvTrainingWithWorkersFollowsTheOneWorkerCurve(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("mixture.csv");
        GaussianMixture.write(csv, new GaussianMixture(3).sample(1000, 1));
        List<List<String>> logs = new java.util.ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            Path model = dir.resolve("model-" + threads);
            assertEquals(
                    0,
                    FlowsCli.run(
                            "train",
                            "--input",
                            csv.toString(),
                            "--epochs",
                            "3",
                            "--layers",
                            "2",
                            "--hidden",
                            "16,16",
                            "--batch-size",
                            "799",
                            "--threads",
                            Integer.toString(threads),
                            "--out",
                            model.toString()));
            logs.add(Files.readAllLines(model.resolve("training-log.csv")));
            String metrics = Files.readString(model.resolve("metrics.json"));
            assertTrue(metrics.contains("\"workers\": " + threads), metrics);
            assertTrue(metrics.contains("\"threads\": 1,"), "one intra-op thread: " + metrics);
            assertTrue(metrics.contains("over 3 epochs of 2 steps of batch 799"), metrics);
        }
        assertEquals(4, logs.get(0).size(), "a header and 3 epochs: " + logs.get(0));
        assertEquals(logs.get(0).size(), logs.get(1).size());
        for (int row = 1; row < logs.get(0).size(); row++) {
            String[] one = logs.get(0).get(row).split(",");
            String[] two = logs.get(1).get(row).split(",");
            for (int column = 1; column < one.length; column++) {
                assertEquals(
                        Double.parseDouble(one[column]),
                        Double.parseDouble(two[column]),
                        1e-3,
                        "epoch " + row + ", " + logs.get(0).get(0).split(",")[column]);
            }
        }
    }
}
