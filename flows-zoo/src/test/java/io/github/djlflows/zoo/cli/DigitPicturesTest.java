package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.zoo.plot.Plots;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digit samples are drawn as a grid of 8 x 8 grey images, pixel for pixel the sampled levels. */
class DigitPicturesTest {

    private static final int SCALE = 12;

    @Test
    void digitSamplesAreAnImageGridOfTheirLevels(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("digits.csv");
        Path png = dir.resolve("digits.png");
        for (Path out : new Path[] {csv, png}) {
            assertEquals(
                    0,
                    FlowsCli.run(
                            "sample",
                            "--artifact",
                            "maf/digits",
                            "-n",
                            "10",
                            "--seed",
                            "7",
                            "--out",
                            out.toString()));
        }
        int[] size = Plots.gridSize(10, new Shape(1, 8, 8), 8, SCALE);
        BufferedImage image = Pictures.decode(png, size[0], size[1]);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(11, lines.size());
        for (int s = 0; s < 10; s++) {
            String[] cells = lines.get(s + 1).split(",");
            int[] expected = new int[64];
            int[] drawn = new int[64];
            int ox = Plots.GUTTER + (s % 8) * (8 * SCALE + Plots.GUTTER);
            int oy = Plots.TITLE + Plots.GUTTER + (s / 8) * (8 * SCALE + Plots.GUTTER);
            for (int p = 0; p < 64; p++) {
                double level = Double.parseDouble(cells[p]);
                expected[p] = (int) Math.round(Math.max(0, Math.min(16, level)) / 16 * 255);
                int x = ox + (p % 8) * SCALE + SCALE / 2;
                int y = oy + (p / 8) * SCALE + SCALE / 2;
                drawn[p] = image.getRGB(x, y) & 255;
            }
            assertArrayEquals(expected, drawn, "digit " + s + ": grey values against its levels");
        }
    }

    @Test
    void uniformlyDequantizedSamplesAreBinnedToTheirLevel() {
        double[][] x = {{0, 0.5 / 17, 16.5 / 17, 0.9999, 1.2, -0.1}};
        assertArrayEquals(
                new float[] {0f, 0f, 1f, 1f, 1f, 0f}, ModelPictures.digitPixels(x, false)[0]);
        double[][] levels = {{0, 8, 16, 17}};
        assertArrayEquals(
                new float[] {0f, 0.5f, 1f, 1f}, ModelPictures.digitPixels(levels, true)[0]);
    }
}
