package io.github.djlflows.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads gzipped IDX files, the MNIST / Fashion-MNIST format: a big-endian int magic {@code
 * 0x00000803} (unsigned bytes, 3 dimensions: images) or {@code 0x00000801} (unsigned bytes, 1
 * dimension: labels), then one big-endian int per dimension, then the bytes row-major.
 *
 * <p>Reference: LeCun et al., "The MNIST database of handwritten digits"; Xiao, Rasul and Vollgraf,
 * "Fashion-MNIST" (2017).
 *
 * <pre>{@code
 * IdxReader.Images images = IdxReader.readImages(Path.of("train-images-idx3-ubyte.gz"), 1000);
 * }</pre>
 */
public final class IdxReader {

    /** Magic number of an unsigned-byte, 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /**
     * Images read from an IDX file.
     *
     * @param count the number of images read
     * @param rows the height
     * @param cols the width
     * @param pixels the pixel values 0..255, row-major (count * rows * cols)
     */
    public record Images(int count, int rows, int cols, float[] pixels) {}

    /**
     * Reads up to {@code limit} images from a gzipped IDX3 file.
     *
     * @param file the {@code .gz} file
     * @param limit the most images to read; a negative value reads all
     * @return the images
     * @throws IOException on a read error, a bad magic number or a truncated file
     */
    public static Images readImages(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(
                        String.format(
                                "%s is not an IDX image file: magic 0x%08x, expected 0x%08x",
                                file, magic, IMAGES_MAGIC));
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n < 0 || rows <= 0 || cols <= 0) {
                throw new IOException(file + ": bad IDX dimensions " + n + "x" + rows + "x" + cols);
            }
            int count = limit < 0 ? n : Math.min(n, limit);
            byte[] bytes = new byte[Math.multiplyExact(Math.multiplyExact(count, rows), cols)];
            readFully(in, bytes, file);
            float[] pixels = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                pixels[i] = bytes[i] & 0xff;
            }
            return new Images(count, rows, cols, pixels);
        }
    }

    /**
     * Reads up to {@code limit} labels from a gzipped IDX1 file.
     *
     * @param file the {@code .gz} file
     * @param limit the most labels to read; a negative value reads all
     * @return the labels, 0..255
     * @throws IOException on a read error, a bad magic number or a truncated file
     */
    public static int[] readLabels(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(
                        String.format(
                                "%s is not an IDX label file: magic 0x%08x, expected 0x%08x",
                                file, magic, LABELS_MAGIC));
            }
            int n = in.readInt();
            if (n < 0) {
                throw new IOException(file + ": bad IDX label count " + n);
            }
            int count = limit < 0 ? n : Math.min(n, limit);
            byte[] bytes = new byte[count];
            readFully(in, bytes, file);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = bytes[i] & 0xff;
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)));
    }

    private static void readFully(DataInputStream in, byte[] bytes, Path file) throws IOException {
        try {
            in.readFully(bytes);
        } catch (EOFException e) {
            throw new IOException(
                    file + " is truncated: expected " + bytes.length + " data bytes", e);
        }
    }
}
