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
}
