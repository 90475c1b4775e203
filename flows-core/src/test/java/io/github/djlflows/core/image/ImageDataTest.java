package io.github.djlflows.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.data.FashionMnist;
import io.github.djlflows.core.data.IdxReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IdxReader and FashionMnist on small gzipped IDX files written by the test. */
class ImageDataTest {

    @TempDir Path dir;

    private static void writeIdx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    private void writeSet(String prefix, int n) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 256);
        }
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        writeIdx(
                dir.resolve(prefix + "-images-idx3-ubyte.gz"),
                0x803,
                new int[] {n, 28, 28},
                pixels);
        writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 0x801, new int[] {n}, labels);
    }

    @Test
    void readsImagesAndLabelsWithLimit() throws IOException {
        writeSet("train", 3);
        writeSet("t10k", 2);
        FashionMnist data = new FashionMnist(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = data.images(manager, true, 2);
            assertEquals(new Shape(2, 1, 28, 28), x.getShape());
            assertEquals(DataType.FLOAT32, x.getDataType());
            assertEquals(255f, x.getFloat(0, 0, 9, 3)); // index 255 = 9 * 28 + 3
            assertEquals(0f, x.getFloat(0, 0, 9, 4));
            assertEquals(3, data.images(manager, true, -1).getShape().get(0));
            assertEquals(2, data.images(manager, false, 10).getShape().get(0));
            assertArrayEquals(new int[] {0, 1, 2}, data.labels(manager, true, -1).toIntArray());
        }
    }

    @Test
    void rejectsBadMagicAndTruncation() throws IOException {
        Path bad = dir.resolve("bad.gz");
        writeIdx(bad, 0x801, new int[] {1, 2, 2}, new byte[4]);
        IOException e = assertThrows(IOException.class, () -> IdxReader.readImages(bad, -1));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        Path shortFile = dir.resolve("short.gz");
        writeIdx(shortFile, 0x803, new int[] {2, 2, 2}, new byte[5]);
        e = assertThrows(IOException.class, () -> IdxReader.readImages(shortFile, -1));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingDirectoryNamesDirectoryAndPackage() {
        Path missing = dir.resolve("nowhere");
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> new FashionMnist(missing).images(manager, true, 1));
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
        }
    }

    @Test
    void readsFashionMnistTestImages() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = new FashionMnist().images(manager, false, 16);
            assertEquals(new Shape(16, 1, 28, 28), x.getShape());
            assertTrue(x.max().getFloat() <= 255f && x.min().getFloat() >= 0f);
            assertEquals(16, new FashionMnist().labels(manager, false, 16).size());
        }
    }
}
