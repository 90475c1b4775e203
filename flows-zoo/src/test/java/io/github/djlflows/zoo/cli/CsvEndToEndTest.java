package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Your own data, end to end: a 5-D CSV (header, columns on scales from 1e-3 to 1e3, a mixture of
 * three correlated Gaussians) trained with default settings, scored, outliers flagged, and the
 * directory loaded from Java.
 */
class CsvEndToEndTest {

    @Test
    void defaultTrainingReachesTheEntropyAndFlagsOutliers(@TempDir Path dir) throws Exception {
        GaussianMixture mixture = new GaussianMixture(3);
        double[] entropy = mixture.entropy(400_000, 99);
        assertTrue(entropy[1] < 0.01, "Monte Carlo standard error " + entropy[1]);
        Path csv = dir.resolve("mixture.csv");
        GaussianMixture.write(csv, mixture.sample(10_000, 1));
        Path model = dir.resolve("model");

        assertEquals(
                0, FlowsCli.run("train", "--input", csv.toString(), "--out", model.toString()));
        JsonObject metrics =
                JsonParser.parseString(Files.readString(model.resolve("metrics.json")))
                        .getAsJsonObject();
        double testNll = metrics.get("value").getAsDouble();
        System.out.printf(
                "true entropy %.4f (+- %.4f), test NLL %.4f%n", entropy[0], entropy[1], testNll);
        assertEquals(entropy[0], testNll, 0.3, "test NLL against the true entropy");
        java.awt.image.BufferedImage curve =
                Pictures.decode(model.resolve("training-curve.png"), 800, 500);
        Pictures.assertInk(curve, "curve title", 100, 0, 700, 40);
        Pictures.assertInk(curve, "curve y axis", 0, 60, 80, 420);
        Pictures.assertInk(curve, "curve x axis", 80, 420, 800, 480);
        Path corner = dir.resolve("corner.png");
        assertEquals(
                0,
                FlowsCli.run(
                        "plot",
                        "--model",
                        model.toString(),
                        "--data",
                        csv.toString(),
                        "--out",
                        corner.toString()));
        int size =
                io.github.djlflows.zoo.plot.CornerPlot.TITLE
                        + 5 * io.github.djlflows.zoo.plot.CornerPlot.CELL;
        java.awt.image.BufferedImage pairs = Pictures.decode(corner, size, size);
        Pictures.assertInk(pairs, "corner title", 0, 0, size, 40);
        Pictures.assertInk(pairs, "corner bottom axes", 0, size - 40, size, size);
        Pictures.assertInk(pairs, "corner left axes", 0, 240, 60, size - 40);

        double[][] inliers = mixture.sample(100, 7);
        double[][] outliers = new double[5][];
        double[][] base = mixture.sample(5, 8);
        for (int i = 0; i < 5; i++) {
            outliers[i] = base[i].clone();
            outliers[i][i] += 10 * GaussianMixture.SCALE[i] * (i % 2 == 0 ? 1 : -1);
        }
        double[][] all = new double[105][];
        System.arraycopy(outliers, 0, all, 0, 5);
        System.arraycopy(inliers, 0, all, 5, 100);
        Path scoreCsv = dir.resolve("new.csv");
        GaussianMixture.write(scoreCsv, all);
        Path scores = dir.resolve("scores.csv");
        assertEquals(
                0,
                FlowsCli.run(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        scoreCsv.toString(),
                        "--flag-below",
                        "0.01",
                        "--out",
                        scores.toString()));
        List<String> lines = Files.readAllLines(scores);
        assertEquals("row,log_density,anomaly", lines.get(0));
        assertEquals(106, lines.size());
        int flaggedInliers = 0;
        for (int i = 0; i < 105; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(Integer.toString(i), cells[0]);
            boolean flagged = Boolean.parseBoolean(cells[2]);
            if (i < 5) {
                assertTrue(flagged, "outlier " + i + " not flagged: " + lines.get(i + 1));
            } else if (flagged) {
                flaggedInliers++;
            }
        }
        System.out.println("inliers flagged: " + flaggedInliers + " of 100");
        assertTrue(flaggedInliers <= 5, flaggedInliers + " of 100 inliers flagged");

        float[] fromJava = JavaLoading.scores(model, all);
        for (int i = 0; i < all.length; i++) {
            double cli = Double.parseDouble(lines.get(i + 1).split(",")[1]);
            assertEquals(
                    cli,
                    fromJava[i],
                    1e-4 * Math.max(1, Math.abs(cli)),
                    "row " + i + " through Java");
        }
    }
}
