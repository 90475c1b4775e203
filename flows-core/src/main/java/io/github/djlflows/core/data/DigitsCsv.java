package io.github.djlflows.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads scikit-learn's 8x8 handwritten digits ({@code digits.csv.gz}): a gzipped CSV of 1797 rows,
 * each 65 comma-separated numbers, the 64 pixel intensities (0..16, row-major 8x8) then the label
 * (0..9). Debian's {@code python3-sklearn} package installs it at {@link #DEBIAN_PATH}.
 *
 * <p>Shapes: {@link #pixels(NDManager)} is (n, 64) float32 with values 0..16; {@link
 * #labels(NDManager)} is (n) int32.
 *
 * <p>Reference: Alpaydin and Kaynak, "Optical Recognition of Handwritten Digits", UCI, 1998.
 *
 * <pre>{@code
 * DigitsCsv digits = DigitsCsv.read(DigitsCsv.DEBIAN_PATH);
 * NDArray x = digits.pixels(manager); // (1797, 64)
 * }</pre>
 */
public final class DigitsCsv {

    /** Where Debian's {@code python3-sklearn} installs the file. */
    public static final Path DEBIAN_PATH =
            Paths.get("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");

    /** The number of pixels of one image (8 x 8). */
    public static final int PIXELS = 64;

    /** The largest pixel value. */
    public static final int MAX_PIXEL = 16;

    private static final String PACKAGE_HINT =
            " (scikit-learn's digits.csv.gz; on Debian/Ubuntu: apt-get install python3-sklearn)";

    private final float[] pixels;
    private final int[] labels;

    private DigitsCsv(float[] pixels, int[] labels) {
        this.pixels = pixels;
        this.labels = labels;
    }

    /** The system property that names another default file (the tests' copy). */
    public static final String FILE_PROPERTY = "djlflows.data.digits";

    /**
     * Reads the file installed by Debian's {@code python3-sklearn}, or the file named by {@link
     * #FILE_PROPERTY}.
     *
     * @return the digits
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is missing or malformed
     */
    public static DigitsCsv readDefault() throws IOException {
        return read(Paths.get(System.getProperty(FILE_PROPERTY, DEBIAN_PATH.toString())));
    }

    /**
     * Reads a gzipped digits CSV.
     *
     * @param file the {@code digits.csv.gz} file
     * @return the digits
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file, the line and the problem, if it is missing
     *     or malformed
     */
    public static DigitsCsv read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("digits file not found: " + file + PACKAGE_HINT);
        }
        List<float[]> rows = new ArrayList<>();
        List<Integer> labelList = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                float[] row = new float[PIXELS];
                labelList.add(parseRow(file, lineNumber, line, row));
                rows.add(row);
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(
                    "malformed digits file "
                            + file
                            + ": not gzip data ("
                            + e.getMessage()
                            + ")"
                            + PACKAGE_HINT,
                    e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(
                    "malformed digits file " + file + ": no rows" + PACKAGE_HINT);
        }
        float[] pixels = new float[rows.size() * PIXELS];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, pixels, i * PIXELS, PIXELS);
            labels[i] = labelList.get(i);
        }
        return new DigitsCsv(pixels, labels);
    }

    private static int parseRow(Path file, int lineNumber, String line, float[] row) {
        String[] fields = line.split(",", -1);
        if (fields.length != PIXELS + 1) {
            throw malformed(
                    file,
                    lineNumber,
                    "expected " + (PIXELS + 1) + " comma-separated numbers, got " + fields.length);
        }
        for (int j = 0; j <= PIXELS; j++) {
            double value;
            try {
                value = Double.parseDouble(fields[j].trim());
            } catch (NumberFormatException e) {
                throw malformed(
                        file,
                        lineNumber,
                        "field " + (j + 1) + " is not a number: '" + fields[j] + "'");
            }
            int max = j < PIXELS ? MAX_PIXEL : 9;
            if (value != Math.rint(value) || value < 0 || value > max) {
                String what = j < PIXELS ? "pixel " + (j + 1) : "the label";
                throw malformed(
                        file,
                        lineNumber,
                        what + " must be an integer in 0.." + max + ", got " + fields[j]);
            }
            if (j < PIXELS) {
                row[j] = (float) value;
            } else {
                return (int) value;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static IllegalArgumentException malformed(Path file, int lineNumber, String problem) {
        return new IllegalArgumentException(
                "malformed digits file "
                        + file
                        + ", line "
                        + lineNumber
                        + ": "
                        + problem
                        + PACKAGE_HINT);
    }

    /**
     * The number of images.
     *
     * @return n
     */
    public int size() {
        return labels.length;
    }

    /**
     * The pixels as an array.
     *
     * @param manager the manager that owns the result
     * @return (n, 64) float32, values 0..16
     */
    public NDArray pixels(NDManager manager) {
        return manager.create(pixels, new Shape(size(), PIXELS));
    }

    /**
     * The labels as an array.
     *
     * @param manager the manager that owns the result
     * @return (n) int32, values 0..9
     */
    public NDArray labels(NDManager manager) {
        return manager.create(labels, new Shape(size()));
    }
}
