package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.djlflows.zoo.FlowConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A digits model trained by {@code flows train --dataset digits} takes the levels 0..16, as the
 * zoo's; one trained with uniform dequantization takes x = (v + u) / 17, and levels given to it are
 * refused instead of scored about -1e10.
 */
class DigitUnitsTest {

    private static Path train(Path dir, String... extra) {
        String[] base = {
            "train",
            "--dataset",
            "digits",
            "--family",
            "maf",
            "--layers",
            "1",
            "--steps",
            "3",
            "--out",
            dir.toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        assertEquals(0, FlowsCli.run(args));
        return dir;
    }

    private static Path levels(Path dir, int top) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            csv.append(i == 0 ? "" : ",").append("x").append(i);
        }
        csv.append('\n');
        for (int i = 0; i < 64; i++) {
            csv.append(i == 0 ? "" : ",").append(i % (top + 1));
        }
        csv.append('\n');
        Path file = dir.resolve("levels-" + top + ".csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void digitsModelsTakeLevelsByDefault(@TempDir Path dir) throws Exception {
        Path model = train(dir.resolve("model"));
        assertTrue(FlowConfig.read(model.resolve("config.json")).variationalDequantization());
        Path out = dir.resolve("scores.csv");
        assertEquals(
                0,
                FlowsCli.run(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        levels(dir, 16).toString(),
                        "--out",
                        out.toString()));
        double logp = Double.parseDouble(Files.readAllLines(out).get(1).split(",")[1]);
        assertTrue(logp > -1e4, "levels 0..16 score as digits: " + logp);
        String tooHigh =
                CliTest.errorOf(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        levels(dir, 17).toString());
        assertTrue(
                tooHigh.contains("17.0")
                        && tooHigh.contains("levels (this model dequantises them) in [0.0, 16.0]"),
                tooHigh);
    }

    @Test
    void uniformDigitsModelsRefuseLevels(@TempDir Path dir) throws Exception {
        Path model = train(dir.resolve("model"), "--dequantization", "uniform");
        String m =
                CliTest.errorOf(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        levels(dir, 16).toString());
        assertTrue(m.contains("divide the levels 0..16 by 17") && m.contains("2.0"), m);
    }
}
