package io.github.djlflows.zoo.cli;

import static io.github.djlflows.zoo.cli.CliTest.errorOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes a user makes with their own files on the command line, each a clear error naming what
 * was expected and what came, and nothing of theirs replaced: one test per fix.
 */
class UserInputMistakesTest {

    @TempDir static Path shared;
    static Path model;
    static Path csv;

    /** A small model on columns a, b, c. */
    @BeforeAll
    static void trainSmallModel() throws Exception {
        csv = shared.resolve("abc.csv");
        Files.writeString(csv, table("a,b,c", 300, 5.0, false));
        model = shared.resolve("model");
        assertEquals(0, train(csv, model));
    }

    /** Rows of three columns; the second is {@code constant} when {@code fixed}. */
    private static String table(String header, int rows, double constant, boolean fixed) {
        StringBuilder sb = new StringBuilder(header).append('\n');
        Random r = new Random(3);
        for (int i = 0; i < rows; i++) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%.5f,%.5f,%.5f%n",
                            r.nextGaussian(),
                            fixed ? constant : constant + r.nextGaussian(),
                            2 * r.nextGaussian()));
        }
        return sb.toString();
    }

    private static int train(Path input, Path out, String... extra) {
        String[] args = {
            "train",
            "--input",
            input.toString(),
            "--epochs",
            "1",
            "--layers",
            "2",
            "--hidden",
            "8",
            "--out",
            out.toString()
        };
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return FlowsCli.run(all);
    }

    @Test
    void aConstantColumnIsNamedByPositionAndHeader(@TempDir Path dir) throws Exception {
        Path constant = dir.resolve("constant.csv");
        Files.writeString(constant, table("a,b,c", 60, 5.0, true));
        for (String standardize : new String[] {"--standardize", "--no-standardize"}) {
            String e =
                    errorOf(
                            "train",
                            "--input",
                            constant.toString(),
                            standardize,
                            "--epochs",
                            "1",
                            "--out",
                            dir.resolve("m").toString());
            assertTrue(
                    e.contains("constant.csv: column 2 ('b') is constant (5.0)")
                            && e.contains("--columns"),
                    standardize + ": " + e);
            assertFalse(Files.exists(dir.resolve("m")));
        }
    }

    @Test
    void repeatedColumnNamesAreRefused(@TempDir Path dir) throws Exception {
        Path twice = dir.resolve("twice.csv");
        Files.writeString(twice, table("a,a,c", 60, 0, false));
        String header = errorOf("train", "--input", twice.toString(), "--out", dir + "/m1");
        assertTrue(header.contains("[a, a, c] name 'a' twice"), header);
        assertEquals(0, train(twice, dir.resolve("m2"), "--columns", "1,3"));
        String listed =
                errorOf(
                        "train",
                        "--input",
                        csv.toString(),
                        "--columns",
                        "a,1",
                        "--out",
                        dir + "/m3");
        assertTrue(listed.contains("picks column 1 ('a') twice"), listed);
        // scoring: a file naming one of the model's columns twice is ambiguous
        Path scored = dir.resolve("scored.csv");
        Files.writeString(scored, "c,a,b,a\n1,2,3,4\n");
        String ambiguous =
                errorOf("score", "--model", model.toString(), "--input", scored.toString());
        assertTrue(ambiguous.contains("two columns named 'a' (columns 2 and 4)"), ambiguous);
    }

    @Test
    void aHeaderNamingOtherColumnsIsRefusedUnlessPickedByPosition(@TempDir Path dir)
            throws Exception {
        Path renamed = dir.resolve("renamed.csv");
        Files.writeString(renamed, "b,a,z\n0.5,1,0\n");
        String score = errorOf("score", "--model", model.toString(), "--input", renamed.toString());
        assertTrue(
                score.contains("the header [b, a, z] lacks [c] of the model's columns [a, b, c]")
                        && score.contains("--columns 1,2,3"),
                score);
        String plot =
                errorOf(
                        "plot",
                        "--model",
                        model.toString(),
                        "--data",
                        renamed.toString(),
                        "--out",
                        dir.resolve("p.png").toString());
        assertTrue(plot.contains("lacks [c]"), plot);
        Path out = dir.resolve("scores.csv");
        assertEquals(
                0,
                FlowsCli.run(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        renamed.toString(),
                        "--columns",
                        "1,2,3",
                        "--out",
                        out.toString()));
        assertEquals(2, Files.readAllLines(out).size());
        Path narrow = dir.resolve("narrow.csv");
        Files.writeString(narrow, "a,b\n1,2\n");
        String width =
                errorOf(
                        "plot",
                        "--model",
                        model.toString(),
                        "--data",
                        narrow.toString(),
                        "--out",
                        dir.resolve("q.png").toString());
        assertTrue(
                width.contains("2 columns [a, b], expected 3 (the model's columns [a, b, c])"),
                width);
    }

    @Test
    void threadCountsMustBePositive() {
        for (String n : new String[] {"0", "-2"}) {
            String score =
                    errorOf(
                            "score",
                            "--model",
                            model.toString(),
                            "--input",
                            csv.toString(),
                            "--threads",
                            n);
            assertTrue(score.contains("--threads must be a positive number"), score);
            String train =
                    errorOf(
                            "train",
                            "--input",
                            csv.toString(),
                            "--threads",
                            n,
                            "--out",
                            shared.resolve("never").toString());
            assertTrue(train.contains("--threads must be a positive number"), train);
            String sample = errorOf("sample", "--model", model.toString(), "--threads", n);
            assertTrue(
                    sample.contains(
                            "--threads must be a positive number of worker threads, got " + n),
                    sample);
        }
    }

    @Test
    void theOutputIsNeverTheInputFile(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data.csv");
        Files.copy(csv, data);
        String before = Files.readString(data);
        String score =
                errorOf(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        data.toString(),
                        "--out",
                        dir.resolve(".").resolve("data.csv").toString());
        assertTrue(score.contains("is the --input file"), score);
        String plot =
                errorOf(
                        "plot",
                        "--model",
                        model.toString(),
                        "--data",
                        data.toString(),
                        "--out",
                        data.toString());
        assertTrue(plot.contains("is the --data file"), plot);
        assertEquals(before, Files.readString(data));
    }

    @Test
    void filesOfTheUsersInTheOutputDirectoryAreNotReplaced(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("results");
        Files.createDirectories(out);
        Files.writeString(out.resolve("training-log.csv"), "mine\n");
        String e = errorOf("train", "--input", csv.toString(), "--out", out.toString());
        assertTrue(e.contains("holds training-log.csv") && e.contains("--overwrite"), e);
        assertEquals("mine\n", Files.readString(out.resolve("training-log.csv")));
        Files.writeString(dir.resolve("notes.txt"), "kept");
        assertEquals(0, train(csv, dir), "other files do not block a run");
        assertEquals("kept", Files.readString(dir.resolve("notes.txt")));
        assertEquals(0, train(csv, out, "--overwrite"));
        assertTrue(Files.readString(out.resolve("training-log.csv")).startsWith("epoch,"));
    }

    @Test
    void pixelsOutsideTheByteRangeAreRefusedAsByTheTranslator(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int line = 1; line <= 2; line++) {
            for (int j = 0; j < 784; j++) {
                sb.append(j == 0 ? "" : ",").append(line == 2 && j == 4 ? 300 : j % 256);
            }
            sb.append('\n');
        }
        Path pixels = dir.resolve("pixels.csv");
        Files.writeString(pixels, sb.toString());
        String e =
                errorOf("score", "--artifact", "glow/fashion-mnist", "--input", pixels.toString());
        assertTrue(
                e.contains("pixels.csv line 2, column 5 ('x4'): 300.0, expected 8-bit pixel values")
                        && e.contains("[0.0, 255.0]"),
                e);
    }

    @Test
    void batchNormTrainsWhenTheLastBatchHoldsOneRow(@TempDir Path dir) throws Exception {
        Path rows = dir.resolve("sixty.csv");
        Files.writeString(rows, table("a,b,c", 60, 0, false)); // 48 training rows
        Path out = dir.resolve("m");
        assertEquals(0, train(rows, out, "--batch-norm", "--batch-size", "47"));
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertTrue(
                metrics.contains("\"steps\": 1,"),
                "one batch of 47, the 48th row left out: " + metrics);
        // two workers: a last batch of 2 rows would give each worker one row
        Path two = dir.resolve("w");
        assertEquals(0, train(rows, two, "--batch-norm", "--batch-size", "46", "--threads", "2"));
        assertTrue(Files.readString(two.resolve("metrics.json")).contains("\"steps\": 1,"));
        // the built-in datasets' trainer: 257 rows in batches of 256
        String[] builtIn = {
            "train",
            "--dataset",
            "two-moons",
            "--train-size",
            "257",
            "--held-out-size",
            "100",
            "--batch-norm",
            "--batch-size",
            "256",
            "--steps",
            "3",
            "--layers",
            "2",
            "--hidden",
            "8",
            "--out",
            dir.resolve("b").toString()
        };
        assertEquals(0, FlowsCli.run(builtIn));
        assertTrue(Files.readString(dir.resolve("b/metrics.json")).contains("\"steps\": 3,"));
    }

    @Test
    void zeroEpochsIsAnError(@TempDir Path dir) {
        String e =
                errorOf(
                        "train",
                        "--input",
                        csv.toString(),
                        "--epochs",
                        "0",
                        "--out",
                        dir.resolve("m").toString());
        assertTrue(e.contains("--epochs must be positive, got 0"), e);
    }

    @Test
    void fileSystemErrorsSayWhatWentWrong(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        String e =
                errorOf(
                        "score",
                        "--model",
                        model.toString(),
                        "--input",
                        csv.toString(),
                        "--out",
                        file.resolve("scores.csv").toString());
        assertTrue(e.contains(file + ": exists already"), e);
    }
}
