package io.github.djlflows.zoo.cli;

import static io.github.djlflows.zoo.cli.CliTest.errorOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.djlflows.zoo.FlowConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per command-line fix: help, paths, overwrite, failed runs, counts, numbers, pictures.
 */
class CliBehaviourTest {

    @TempDir static Path shared;
    static Path model;
    static Path csv;

    /** A small 3-column model trained for 2 epochs on a CSV with a header. */
    @BeforeAll
    static void trainSmallModel() throws Exception {
        csv = shared.resolve("small.csv");
        StringBuilder sb = new StringBuilder("a,b,c\n");
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 400; i++) {
            double x = r.nextGaussian();
            sb.append(
                    String.format(
                            java.util.Locale.ROOT,
                            "%.5f,%.5f,%.5f%n",
                            1e3 * x,
                            x + 0.1 * r.nextGaussian(),
                            1e-2 * r.nextGaussian()));
        }
        Files.writeString(csv, sb.toString());
        model = shared.resolve("model");
        assertEquals(
                0,
                FlowsCli.run(
                        "train",
                        "--input",
                        csv.toString(),
                        "--epochs",
                        "2",
                        "--layers",
                        "2",
                        "--hidden",
                        "8",
                        "--out",
                        model.toString()));
    }

    private static String out(String stdin, String... args) {
        PrintStream old = System.out;
        InputStream oldIn = System.in;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (stdin != null) {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            assertEquals(0, FlowsCli.run(args), String.join(" ", args));
        } finally {
            System.setOut(old);
            System.setIn(oldIn);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpOfEveryCommandExitsZero() {
        for (String cmd :
                List.of(
                        "train",
                        "sample",
                        "score",
                        "anomalies",
                        "plot",
                        "demo",
                        "reproduce",
                        "zoo")) {
            assertTrue(out(null, cmd, "--help").contains("Usage: flows " + cmd), cmd);
            out(null, cmd, "-h");
            assertTrue(out(null, "help", cmd).contains("Usage: flows " + cmd), "help " + cmd);
        }
        String train = out(null, "train", "--help");
        for (String flag :
                List.of(
                        "--input",
                        "--family",
                        "--layers",
                        "--hidden",
                        "--bins",
                        "--batch-size",
                        "--lr",
                        "--schedule",
                        "--steps",
                        "--epochs",
                        "--seed",
                        "--val-fraction",
                        "--patience",
                        "--no-standardize",
                        "--columns",
                        "--header",
                        "--delimiter",
                        "--overwrite")) {
            assertTrue(train.contains(flag), flag + " missing from train --help");
        }
        out(null, "zoo", "list", "--help");
    }

    @Test
    void zooListShowsEveryArtifactOnceGroupedByDataset() {
        String[] lines = out(null, "zoo", "list").trim().split("\\R");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            names.add(lines[i].split("\\s+")[0]);
        }
        List<String> expected = new java.util.ArrayList<>();
        for (io.github.djlflows.zoo.ZooArtifact a :
                new io.github.djlflows.zoo.FlowsModelZoo().getArtifacts()) {
            expected.add(a.name());
        }
        expected.sort(
                java.util.Comparator.comparing((String n) -> n.split("/")[1])
                        .thenComparing(n -> n.split("/")[0]));
        assertEquals(expected, names, String.join("\n", lines));
    }

    @Test
    void zooListShowsABoundForEveryImageModelThatRecordsOne() throws Exception {
        String[] lines = out(null, "zoo", "list").trim().split("\\R");
        int bounds = 0;
        for (io.github.djlflows.zoo.ZooArtifact a :
                new io.github.djlflows.zoo.FlowsModelZoo().getArtifacts()) {
            io.github.djlflows.zoo.FlowMetrics m = a.metrics();
            String line =
                    java.util.Arrays.stream(lines)
                            .filter(l -> l.startsWith(a.name() + " "))
                            .findFirst()
                            .orElseThrow();
            double listed = Double.parseDouble(line.split("\\s+")[2]);
            double expected = m.uniformBound != null ? m.uniformBound : m.value;
            assertEquals(expected, listed, 5e-5, line);
            if (m.uniformBound != null) {
                bounds++;
                assertTrue(line.contains("bound") && line.contains("bin centres"), line);
            }
        }
        assertTrue(bounds > 0, "no artifact records a uniform bound");
    }

    @Test
    void aOneColumnTableTrainsWithAnAutoregressiveFamilyAndCouplingsSayWhy() throws Exception {
        Path one = shared.resolve("one.csv");
        StringBuilder sb = new StringBuilder("latency\n");
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < 300; i++) {
            sb.append(String.format(java.util.Locale.ROOT, "%.4f%n", Math.exp(r.nextGaussian())));
        }
        Files.writeString(one, sb.toString());
        for (String family : List.of("realnvp", "nsf")) {
            String refused =
                    errorOf(
                            "train",
                            "--input",
                            one.toString(),
                            "--family",
                            family,
                            "--epochs",
                            "1",
                            "--out",
                            shared.resolve("one-" + family).toString());
            assertTrue(refused.contains("nsf-ar or naf"), refused);
        }
        Path ar = shared.resolve("one-nsf-ar");
        out(
                null,
                "train",
                "--input",
                one.toString(),
                "--family",
                "nsf-ar",
                "--epochs",
                "2",
                "--hidden",
                "8",
                "--out",
                ar.toString());
        String scored = out("latency\n1.0\n", "score", "--model", ar.toString(), "--input", "-");
        String[] lines = scored.trim().split("\\R");
        assertEquals(2, lines.length, scored);
        assertTrue(Double.isFinite(Double.parseDouble(lines[1].split(",")[1])), scored);
        Path png = shared.resolve("one.png");
        out(
                null,
                "plot",
                "--model",
                ar.toString(),
                "--data",
                one.toString(),
                "--out",
                png.toString());
        java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(900, picture.getWidth(), "the one-column density curve");
    }

    @Test
    void aNeuralAutoregressiveFlowTrainsScoresAndSamplesFromTheCommandLine() throws Exception {
        Path naf = shared.resolve("naf");
        out(
                null,
                "train",
                "--input",
                csv.toString(),
                "--family",
                "naf",
                "--units",
                "3",
                "--layers",
                "2",
                "--hidden",
                "8",
                "--epochs",
                "2",
                "--out",
                naf.toString());
        FlowConfig config = FlowConfig.read(naf.resolve("config.json"));
        assertEquals("naf", config.family);
        assertEquals(3, config.units);
        String scored = out(null, "score", "--model", naf.toString(), "--input", csv.toString());
        assertEquals(401, scored.trim().split("\\R").length);
        String sampled = out(null, "sample", "--model", naf.toString(), "-n", "5", "--seed", "1");
        String[] rows = sampled.trim().split("\\R");
        assertEquals("a,b,c", rows[0]);
        for (int i = 1; i < rows.length; i++) {
            for (String v : rows[i].split(",")) {
                assertTrue(Double.isFinite(Double.parseDouble(v)), sampled);
            }
        }
        assertTrue(
                errorOf(
                                "train",
                                "--input",
                                csv.toString(),
                                "--family",
                                "naf",
                                "--units",
                                "0",
                                "--out",
                                shared.resolve("naf0").toString())
                        .contains("--units"));
    }

    @Test
    void theLauncherKeepsTheCallersDirectory() throws Exception {
        String script = Files.readString(Path.of("..", "flows"));
        assertFalse(
                script.lines().anyMatch(l -> l.trim().startsWith("cd ")),
                "./flows must not cd into the repository");
        assertTrue(
                script.contains("-f \"$ROOT/pom.xml\""),
                "the build is pointed at the repository instead");
    }

    @Test
    void aModelIsNotReplacedWithoutOverwrite() throws Exception {
        String refused =
                errorOf(
                        "train",
                        "--input",
                        csv.toString(),
                        "--epochs",
                        "1",
                        "--layers",
                        "1",
                        "--out",
                        model.toString());
        assertTrue(
                refused.contains("already holds a model") && refused.contains("--overwrite"),
                refused);
        Path other = shared.resolve("other");
        assertEquals(
                0,
                FlowsCli.run(
                        "train",
                        "--input",
                        csv.toString(),
                        "--epochs",
                        "1",
                        "--layers",
                        "1",
                        "--out",
                        other.toString()));
        assertEquals(
                0,
                FlowsCli.run(
                        "train",
                        "--input",
                        csv.toString(),
                        "--epochs",
                        "1",
                        "--layers",
                        "1",
                        "--overwrite",
                        "--out",
                        other.toString()));
    }

    @Test
    void aFailedRunLeavesNoDirectory(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b\n1,2\n3,1f\n");
        Path out = dir.resolve("never");
        String e = errorOf("train", "--input", bad.toString(), "--out", out.toString());
        assertTrue(e.contains("line 3, column 2 ('b')") && e.contains("'1f' is not a number"), e);
        assertFalse(Files.exists(out), "a failed run left " + out);
        Files.writeString(bad, "a,b\n1,2\n1e40,3\n");
        String overflow = errorOf("train", "--input", bad.toString(), "--out", out.toString());
        assertTrue(
                overflow.contains("line 3, column 1 ('a')") && overflow.contains("float32"),
                overflow);
        assertFalse(Files.exists(out));
    }

    @Test
    void progressLineAndSplineBoundWarning(@TempDir Path dir) {
        PrintStream old = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(
                    0,
                    FlowsCli.run(
                            "train",
                            "--input",
                            csv.toString(),
                            "--family",
                            "nsf",
                            "--no-standardize",
                            "--epochs",
                            "1",
                            "--layers",
                            "1",
                            "--hidden",
                            "8",
                            "--out",
                            dir.resolve("nsf").toString()));
        } finally {
            System.setErr(old);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("column 'a' lies outside the spline bound"), log);
        assertFalse(
                log.contains("column 'c' lies outside"), "column c (scale 1e-2) is inside: " + log);
        assertTrue(
                log.matches(
                        "(?s).*epoch 1/1  step \\d+  [0-9.]+ steps/s  ETA \\d+ s  train [0-9.e+-]+  val [0-9.e+-]+.*"),
                log);
    }

    @Test
    void missingModelDirectoryIsNamed(@TempDir Path dir) {
        String e = errorOf("sample", "--model", dir.resolve("nope").toString());
        assertTrue(e.contains("model directory not found") && e.contains("nope"), e);
    }

    @Test
    void badCountsAndTemperaturesAreClearErrors() {
        for (String n : List.of("0", "-1")) {
            String e = errorOf("sample", "--model", model.toString(), "-n", n);
            assertTrue(e.contains("-n must be a positive number of samples, got " + n), e);
        }
        String huge = errorOf("sample", "--model", model.toString(), "-n", "9000000000000");
        assertTrue(huge.contains("too many") && huge.contains("expected at most"), huge);
        for (String t : List.of("Infinity", "NaN", "0", "-1")) {
            String e = errorOf("sample", "--model", model.toString(), "--temperature", t);
            assertTrue(e.contains("--temperature must be a finite positive number"), e);
        }
        String image =
                errorOf("sample", "--artifact", "glow/fashion-mnist", "-n", "0", "--out", "x.png");
        assertTrue(image.contains("-n must be a positive number"), image);
    }

    @Test
    void everyScheduleOfTheConfigIsAcceptedByTheCli(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("warm");
        out(
                null,
                "train",
                "--input",
                csv.toString(),
                "--epochs",
                "1",
                "--layers",
                "2",
                "--hidden",
                "8",
                "--schedule",
                "warmup-cosine",
                "--warmup-steps",
                "1",
                "--out",
                out.toString());
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertTrue(
                metrics.contains(
                        "\"command\": \"./flows train --input "
                                + csv
                                + " --epochs 1 --layers 2 --hidden 8 --schedule warmup-cosine"
                                + " --warmup-steps 1 --out "
                                + out
                                + "\""),
                "the record names the command as it was given: " + metrics);
        String config = Files.readString(out.resolve("config.json"));
        assertTrue(
                config.contains("\"schedule\": \"warmup-cosine\"")
                        && config.contains("\"warmupSteps\": 1"),
                config);
        String e =
                errorOf(
                        "train",
                        "--input",
                        csv.toString(),
                        "--schedule",
                        "linear",
                        "--out",
                        dir.resolve("m").toString());
        assertTrue(e.contains("'linear'") && e.contains("warmup-cosine"), e);
    }

    @Test
    void unknownConfigKeyNamesTheKnownOnes(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"family\": \"maf\", \"learningRat\": 0.01}");
        String e =
                errorOf(
                        "train",
                        "--config",
                        config.toString(),
                        "--input",
                        csv.toString(),
                        "--out",
                        dir.resolve("m").toString());
        assertTrue(
                e.contains("unknown key 'learningRat'")
                        && e.contains("learningRate")
                        && e.contains("layers"),
                e);
    }

    @Test
    void regularisersReachTheConfigAndAreCheckedByName(@TempDir Path dir) throws Exception {
        Path built = dir.resolve("m");
        out(
                null,
                "train",
                "--dataset",
                "two-moons",
                "--layers",
                "2",
                "--hidden",
                "8",
                "--steps",
                "10",
                "--train-size",
                "200",
                "--held-out-size",
                "100",
                "--weight-decay",
                "0.01",
                "--ema-decay",
                "0.9",
                "--out",
                built.toString());
        io.github.djlflows.zoo.FlowConfig written =
                io.github.djlflows.zoo.FlowConfig.read(built.resolve("config.json"));
        assertEquals(0.01, written.weightDecay, 0);
        assertEquals(0.9, written.emaDecay, 0);
        String recipe = Files.readString(built.resolve("metrics.json"));
        assertTrue(recipe.contains("AdamW (DJL, decoupled weight decay 0.01)"), recipe);
        String one = errorOf("train", "--ema-decay", "1", "--out", dir.resolve("a").toString());
        assertTrue(one.contains("--ema-decay must lie in [0, 1), got 1.0"), one);
        String negative =
                errorOf("train", "--weight-decay", "-1", "--out", dir.resolve("b").toString());
        assertTrue(negative.contains("--weight-decay must be a non-negative number"), negative);
        String tabular =
                errorOf(
                        "train",
                        "--input",
                        csv.toString(),
                        "--ema-decay",
                        "0.9",
                        "--out",
                        dir.resolve("c").toString());
        assertTrue(tabular.contains("apply to the built-in datasets, not CSV input"), tabular);
    }

    @Test
    void patienceZeroNeverStopsABuiltInRunButIsRefusedForCsv(@TempDir Path dir) throws Exception {
        // the zoo's configs say patience 0 (never stop early): flows train --config must take them
        Path config = dir.resolve("config.json");
        Files.writeString(
                config,
                "{\"family\": \"realnvp\", \"layers\": 2, \"hidden\": [8], \"steps\": 20,"
                        + " \"batchSize\": 50, \"trainSize\": 200, \"validationSize\": 100,"
                        + " \"validateEvery\": 10, \"patience\": 0, \"heldOutSize\": 100}");
        Path built = dir.resolve("m");
        out(null, "train", "--config", config.toString(), "--out", built.toString());
        assertTrue(Files.isRegularFile(built.resolve("metrics.json")), "no model written");
        String negative =
                errorOf(
                        "train",
                        "--config",
                        config.toString(),
                        "--patience",
                        "-1",
                        "--out",
                        dir.resolve("n").toString());
        assertTrue(negative.contains("--patience must be non-negative"), negative);
        String csvZero =
                errorOf(
                        "train",
                        "--input",
                        csv.toString(),
                        "--patience",
                        "0",
                        "--out",
                        dir.resolve("c").toString());
        assertTrue(csvZero.contains("--patience must be positive, got 0"), csvZero);
    }

    @Test
    void builtInDatasetsWithoutAConfigGetTheirShapeAndSplits(@TempDir Path dir) throws Exception {
        // digits are 64-pixel rows (the plain defaults held out 10 000 of 1797 rows and said [2])
        Path digits = dir.resolve("digits");
        out(
                null,
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
                digits.toString());
        FlowConfig d = FlowConfig.read(digits.resolve("config.json"));
        assertArrayEquals(new long[] {64}, d.eventShape);
        assertEquals(297, d.heldOutSize);
        String samples = out(null, "sample", "--model", digits.toString(), "-n", "2");
        assertEquals(3, samples.strip().split("\n").length, samples);
        // images: (1, 28, 28), Glow unless a family is given (the tests' Fashion-MNIST files hold
        // the test split only, so this part checks the config the command starts from)
        FlowConfig f = FlowConfig.forDataset("fashion-mnist");
        assertArrayEquals(new long[] {1, 28, 28}, f.eventShape);
        assertEquals("glow", f.family);
    }

    @Test
    void scoreReadsStdinWritesStdoutAndMatchesColumnsByName() {
        String text =
                out(
                        "c,a,b\n0.01,1000,1\nInfinity,0,0\n0,1e40,0\n",
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        "-");
        String[] lines = text.trim().split("\\R");
        assertEquals("row,log_density", lines[0]);
        assertEquals(4, lines.length);
        assertTrue(Double.isFinite(Double.parseDouble(lines[1].split(",")[1])), lines[1]);
        assertEquals(
                "-Infinity", lines[2].split(",")[1], "an infinite cell has log-density -Infinity");
        assertEquals(
                "-Infinity",
                lines[3].split(",")[1],
                "a float32-overflowing cell has log-density -Infinity");
        String same = out("a,b,c\n1000,1,0.01\n", "score", "--model", model.toString());
        assertEquals(
                lines[1], same.trim().split("\\R")[1], "columns are matched by name, not position");
        String withText =
                out("id,a,label,b,c\nr-17,1000,cat,1,0.01\n", "score", "--model", model.toString());
        assertEquals(
                lines[1],
                withText.trim().split("\\R")[1],
                "columns the model does not use may hold text");
        String flagged =
                out("a,b,c\n1000,1,0.01\n1e6,0,0\n", "anomalies", "--model", model.toString());
        String[] rows = flagged.trim().split("\\R");
        assertEquals("row,log_density,anomaly", rows[0]);
        assertTrue(
                rows[2].endsWith(",true"),
                "a row a thousand standard deviations out is flagged: " + rows[2]);
        String e =
                errorOf(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        csv.resolveSibling("nan.csv").toString());
        assertTrue(e.contains("not found"), e);
    }

    @Test
    void sampleWritesTheTrainingColumnsInDataUnits() {
        String text = out(null, "sample", "--model", model.toString(), "-n", "200");
        String[] lines = text.trim().split("\\R");
        assertEquals("a,b,c", lines[0]);
        double sq = 0;
        for (int i = 1; i < lines.length; i++) {
            double a = Double.parseDouble(lines[i].split(",")[0]);
            sq += a * a;
        }
        double rms = Math.sqrt(sq / (lines.length - 1));
        assertTrue(rms > 200 && rms < 5000, "column a is on the scale of 1e3, got rms " + rms);
    }

    @Test
    void samplePngOnAVectorModelDraws(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("x.png");
        assertEquals(
                0,
                FlowsCli.run(
                        "sample",
                        "--model",
                        model.toString(),
                        "-n",
                        "500",
                        "--out",
                        png.toString()));
        int size =
                io.github.djlflows.zoo.plot.CornerPlot.TITLE
                        + 3 * io.github.djlflows.zoo.plot.CornerPlot.CELL;
        java.awt.image.BufferedImage image = Pictures.decode(png, size, size);
        Pictures.assertInk(image, "title", 0, 0, size, 40);
        Pictures.assertInk(image, "bottom axis labels", 0, size - 40, size, size);
        Pictures.assertInk(image, "left axis labels", 0, 240, 60, size - 40);
    }
}
