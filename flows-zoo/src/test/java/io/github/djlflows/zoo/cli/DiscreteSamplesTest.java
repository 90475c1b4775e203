package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Samples of a model of discrete data come out as its levels (8-bit pixels, digit levels), so
 * {@code flows score} takes the model's own samples back.
 */
class DiscreteSamplesTest {

    private static void roundTrip(Path dir, String artifact, int top) throws Exception {
        Path samples = dir.resolve(artifact.replace('/', '-') + ".csv");
        assertEquals(
                0,
                FlowsCli.run(
                        "sample",
                        "--artifact",
                        artifact,
                        "-n",
                        "3",
                        "--seed",
                        "1",
                        "--out",
                        samples.toString()));
        List<String> lines = Files.readAllLines(samples);
        assertEquals(4, lines.size());
        for (String line : lines.subList(1, 4)) {
            for (String cell : line.split(",")) {
                double v = Double.parseDouble(cell);
                assertTrue(v == Math.rint(v) && v >= 0 && v <= top, artifact + ": " + cell);
            }
        }
        Path scores = dir.resolve(artifact.replace('/', '-') + "-scores.csv");
        assertEquals(
                0,
                FlowsCli.run(
                        "score",
                        "--artifact",
                        artifact,
                        "--input",
                        samples.toString(),
                        "--out",
                        scores.toString()));
        assertEquals(4, Files.readAllLines(scores).size());
    }

    @Test
    void imageAndDigitSamplesAreLevelsThatScoreBack(@TempDir Path dir) throws Exception {
        roundTrip(dir, "glow/fashion-mnist", 255);
        roundTrip(dir, "maf/digits", 16);
    }
}
