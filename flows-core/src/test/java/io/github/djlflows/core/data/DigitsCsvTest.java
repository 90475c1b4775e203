package io.github.djlflows.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digits.csv.gz reader: values, shapes and clear errors for missing or malformed files. */
class DigitsCsvTest {

    @TempDir Path dir;

    private Path gzip(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static String row(int pixel, int label) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < DigitsCsv.PIXELS; j++) {
            sb.append(j == 0 ? pixel : j % 17).append(',');
        }
        return sb.append(label).append('\n').toString();
    }

    @Test
    void readsPixelsAndLabels() throws IOException {
        DigitsCsv digits = DigitsCsv.read(gzip("ok.csv.gz", row(3, 7) + row(16, 0)));
        assertEquals(2, digits.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(new Shape(2, 64), digits.pixels(manager).getShape());
            assertArrayEquals(new int[] {7, 0}, digits.labels(manager).toIntArray());
            float[] pixels = digits.pixels(manager).toFloatArray();
            assertEquals(3f, pixels[0]);
            assertEquals(16f, pixels[64]);
            assertEquals(5f, pixels[5]);
        }
    }

    private void assertMalformed(Path file, String... fragments) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DigitsCsv.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("python3-sklearn"), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
        }
    }

    @Test
    void clearErrors() throws IOException {
        assertMalformed(dir.resolve("missing.csv.gz"), "not found");
        assertMalformed(
                gzip("short.csv.gz", row(0, 1) + "1,2,3\n"), "line 2", "expected 65", "got 3");
        assertMalformed(gzip("big.csv.gz", row(17, 1)), "line 1", "pixel 1", "0..16", "17");
        assertMalformed(gzip("label.csv.gz", row(0, 10)), "the label", "0..9");
        assertMalformed(gzip("text.csv.gz", row(0, 1).replaceFirst("0", "x")), "not a number");
        assertMalformed(gzip("empty.csv.gz", ""), "no rows");
        Path plain = dir.resolve("plain.csv.gz");
        Files.writeString(plain, row(0, 1));
        assertMalformed(plain, "not gzip");
    }

    @Test
    void readsScikitLearnDigits() throws IOException {
        DigitsCsv digits = DigitsCsv.readDefault();
        assertEquals(1797, digits.size());
    }
}
