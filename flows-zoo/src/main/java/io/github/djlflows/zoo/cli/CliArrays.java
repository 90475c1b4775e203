package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDArray;
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
        return io.github.djlflows.zoo.translate.Rows.toRows(array);
    }

    /** Image samples on the 0..255 pixel scale to rows in [0, 1] for pictures. */
    static float[][] pixelRows(NDArray samples) {
        float[][] rows = rows(samples);
        for (float[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = Math.max(0f, Math.min(1f, row[i] / 255f));
            }
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
