package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDArray;
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

    /** Rounds each value to the nearest of the levels 0..L-1 (clipped), in place. */
    static void quantize(float[] row, int levels) {
        for (int i = 0; i < row.length; i++) {
            row[i] = Math.max(0, Math.min(levels - 1, Math.round(row[i])));
        }
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
}
