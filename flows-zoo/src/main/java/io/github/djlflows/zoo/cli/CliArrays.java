package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** CSV and row helpers of the command line. */
final class CliArrays {

    private CliArrays() {}

    static float[][] rows(NDArray array) {
        int n = Math.toIntExact(array.getShape().get(0));
        float[] flat = array.toType(DataType.FLOAT32, false).toFloatArray();
        int size = flat.length / Math.max(1, n);
        float[][] rows = new float[n][size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * size, rows[i], 0, size);
        }
        return rows;
    }

    static String csv(float[] row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(String.format(Locale.ROOT, "%.6g", row[i]));
        }
        return sb.toString();
    }

    static float[][] readCsv(Path file, int width) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("input file not found: " + file.toAbsolutePath());
        }
        List<float[]> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(",");
            if (parts.length != width) {
                throw new IOException(
                        file + " line " + lineNo + ": expected " + width + " values, got " + parts.length);
            }
            float[] row = new float[width];
            for (int i = 0; i < width; i++) {
                try {
                    row[i] = Float.parseFloat(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IOException(file + " line " + lineNo + ": not a number: " + parts[i], e);
                }
            }
            rows.add(row);
        }
        return rows.toArray(new float[0][]);
    }
}
