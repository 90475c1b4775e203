package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: the command-line tool's demo, train/score/sample, and its error messages. */
class CliTest {

    static void assertPicture(Path png, int width, int height) throws Exception {
        assertTrue(Files.exists(png), png + " missing");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode as an image");
        assertEquals(width, image.getWidth(), png + " width");
        assertEquals(height, image.getHeight(), png + " height");
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < height; y += 3) {
            for (int x = 0; x < width; x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, png + " looks blank: " + colours.size() + " colours");
    }

    @Test
    void demoWritesPictures(@TempDir Path dir) throws Exception {
        int code = FlowsCli.run("demo", "--steps", "150", "--out", dir.toString());
        assertEquals(0, code);
        assertPicture(dir.resolve("two-moons-realnvp.png"), 1100, 500);
        Pictures.assertDensityPicture(dir.resolve("two-moons-realnvp.png"));
        Path grid = dir.resolve("fashion-mnist-glow.png");
        int width = 8 * 28 * 3 + 9 * 4;
        assertPicture(grid, width, 30 + 8 * 28 * 3 + 9 * 4);
        Pictures.assertInk(
                Pictures.decode(grid, width, 30 + 8 * 28 * 3 + 9 * 4),
                "title with temperature",
                0,
                0,
                width,
                30);
    }

    @Test
    void trainScoreSampleRoundTrip(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        assertEquals(
                0,
                FlowsCli.run(
                        "train",
                        "--dataset",
                        "eight-gaussians",
                        "--steps",
                        "60",
                        "--layers",
                        "2",
                        "--out",
                        model.toString()));
        assertTrue(Files.exists(model.resolve("model-0000.params")));
        assertTrue(Files.exists(model.resolve("metrics.json")));
        Path samples = dir.resolve("samples.csv");
        assertEquals(
                0,
                FlowsCli.run(
                        "sample",
                        "--model",
                        model.toString(),
                        "-n",
                        "5",
                        "--out",
                        samples.toString()));
        List<String> sampleLines = Files.readAllLines(samples);
        assertEquals(6, sampleLines.size());
        assertEquals("x0,x1", sampleLines.get(0), "header of a built-in 2-D model");
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            assertEquals(
                    0,
                    FlowsCli.run(
                            "score", "--model", model.toString(), "--input", samples.toString()));
        } finally {
            System.setOut(old);
        }
        String[] lines = captured.toString().trim().split("\\R");
        assertEquals(6, lines.length);
        assertEquals("row,log_density", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            assertEquals(Integer.toString(i - 1), cells[0]);
            assertTrue(Double.isFinite(Double.parseDouble(cells[1])), lines[i]);
        }
    }

    @Test
    void interruptedTrainingResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        String[] args = {
            "train",
            "--steps",
            "12",
            "--layers",
            "1",
            "--max-steps-this-run",
            "7",
            "--out",
            model.toString()
        };
        assertEquals(0, FlowsCli.run(args));
        assertTrue(
                Files.exists(model.resolve("checkpoint/step.txt")),
                "no checkpoint after a stopped run");
        assertEquals("7", Files.readString(model.resolve("checkpoint/step.txt")).trim());
        assertTrue(
                Files.notExists(model.resolve("model-0000.params")),
                "a stopped run must not publish params");
        assertEquals(0, FlowsCli.run(args));
        assertTrue(Files.exists(model.resolve("model-0000.params")));
        String metrics = Files.readString(model.resolve("metrics.json"));
        assertTrue(metrics.contains("\"steps\": 12"), metrics);
        assertTrue(
                Files.notExists(model.resolve("checkpoint")),
                "the checkpoint is removed when done");
    }

    @Test
    void corruptParamsAndUnknownFamilyAreNamed(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        assertEquals(
                0,
                FlowsCli.run("train", "--steps", "5", "--layers", "1", "--out", model.toString()));
        Path params = model.resolve("model-0000.params");
        byte[] bytes = Files.readAllBytes(params);

        Files.write(params, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String truncated =
                errorOf(
                        "plot",
                        "--model",
                        model.toString(),
                        "--out",
                        dir.resolve("a.png").toString());
        assertTrue(
                truncated.contains("model-0000.params") && truncated.contains("SHA-256"),
                truncated);
        Path metrics = model.resolve("metrics.json");
        String recorded = Files.readString(metrics);
        Files.delete(metrics);
        String unchecked =
                errorOf(
                        "plot",
                        "--model",
                        model.toString(),
                        "--out",
                        dir.resolve("a.png").toString());
        assertTrue(unchecked.contains("metrics.json") && unchecked.contains("SHA-256"), unchecked);
        Files.writeString(metrics, recorded);

        byte[] garbage = bytes.clone();
        for (int i = 0; i < garbage.length; i += 7) {
            garbage[i] = (byte) 0xA5;
        }
        Files.write(params, garbage);
        String corrupt =
                errorOf(
                        "plot",
                        "--model",
                        model.toString(),
                        "--out",
                        dir.resolve("b.png").toString());
        assertTrue(corrupt.contains("model-0000.params") && corrupt.contains("corrupt"), corrupt);

        Files.write(params, bytes);
        Path config = model.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"realnvp\"", "\"warpdrive\""));
        String unknown =
                errorOf(
                        "plot",
                        "--model",
                        model.toString(),
                        "--out",
                        dir.resolve("c.png").toString());
        assertTrue(
                unknown.contains("config.json")
                        && unknown.contains("warpdrive")
                        && unknown.contains("realnvp"),
                unknown);

        String artifact = errorOf("reproduce", "nosuch/thing");
        assertTrue(artifact.contains("unknown artifact") && artifact.contains("known"), artifact);
    }

    @Test
    void dequantizationAndInitFromFlagsRefuseWhereTheyDoNotApply(@TempDir Path dir)
            throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "a,b\n1,2\n3,4\n5,7\n");
        String out = dir.resolve("m").toString();
        String init = errorOf("train", "--input", csv.toString(), "--init-from", out, "--out", out);
        assertTrue(init.contains("--init-from") && init.contains("CSV input"), init);
        String toy =
                errorOf(
                        "train",
                        "--dataset",
                        "two-moons",
                        "--dequantization",
                        "variational",
                        "--out",
                        out);
        assertTrue(toy.contains("variational applies to digits and images, not two-moons"), toy);
        String unknown =
                errorOf("train", "--dataset", "digits", "--dequantization", "gauss", "--out", out);
        assertTrue(
                unknown.contains("'gauss'") && unknown.contains("uniform or variational"), unknown);
        assertTrue(!Files.exists(dir.resolve("m")), "nothing written for a refused command");
    }

    static String errorOf(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try {
            int code = FlowsCli.run(args);
            assertEquals(2, code, "expected a reported error");
        } finally {
            System.setErr(old);
        }
        return captured.toString();
    }
}
