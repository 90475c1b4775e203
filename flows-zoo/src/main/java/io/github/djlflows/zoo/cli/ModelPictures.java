package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.plot.Charts;
import io.github.djlflows.zoo.plot.CornerPlot;
import io.github.djlflows.zoo.plot.DensityCurve;
import io.github.djlflows.zoo.plot.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The picture of a loaded model: a 1-D density curve, a 2-D density, a corner plot, or an image
 * grid (images and digits).
 */
final class ModelPictures {

    /** Grid cells per axis of a 2-D density picture. */
    static final int GRID = 160;

    /** Samples drawn for vector pictures. */
    static final int VECTOR_SAMPLES = 2000;

    /** A digit as an image: one channel of 8 x 8 pixels. */
    static final Shape DIGIT_IMAGE = new Shape(1, 8, 8);

    private ModelPictures() {}

    /**
     * Digit samples as grey pixels in [0, 1]: the levels 0..16 a variationally dequantized model
     * samples (its inverse quantizes), or the level {@code floor(17 x)} of a uniformly dequantized
     * model's x in [0, 1), over 16.
     */
    static float[][] digitPixels(double[][] samples, boolean levels) {
        int top = FlowData.DIGIT_LEVELS - 1;
        float[][] pixels = new float[samples.length][];
        for (int i = 0; i < samples.length; i++) {
            pixels[i] = new float[samples[i].length];
            for (int j = 0; j < samples[i].length; j++) {
                double level =
                        levels ? samples[i][j] : Math.floor(samples[i][j] * FlowData.DIGIT_LEVELS);
                pixels[i][j] = (float) (Math.max(0, Math.min(top, level)) / top);
            }
        }
        return pixels;
    }

    /**
     * Draws the model.
     *
     * @param loaded the model
     * @param manager a manager for temporary arrays
     * @param data data rows to show beside the samples, or null
     * @param samples vector samples to show, or null to draw {@link #VECTOR_SAMPLES}
     * @param range half-width of a 2-D plot, or null to fit the data (or samples)
     * @param count image samples in a grid
     * @param temperature the sampling temperature
     * @param seed the sampling seed
     * @param logScale whether a 2-D density's colours show log-density
     * @param out the PNG
     */
    static void draw(
            LoadedFlow loaded,
            NDManager manager,
            double[][] data,
            double[][] samples,
            Double range,
            int count,
            double temperature,
            long seed,
            boolean logScale,
            Path out)
            throws IOException {
        Shape shape = loaded.config.shape();
        if (shape.dimension() == 3) {
            float[][] rows =
                    CliArrays.pixelRows(loaded.flow.sample(manager, count, temperature, seed));
            String title =
                    String.format(
                            Locale.ROOT,
                            "%s, %d samples at temperature T = %s",
                            loaded.describe(),
                            count,
                            temperature);
            Plots.imageGrid(rows, shape, 8, 3, title, out);
            return;
        }
        if ("digits".equals(loaded.config.dataset)) {
            double[][] rows =
                    samples != null
                            ? samples
                            : toDoubles(
                                    CliArrays.rows(
                                            loaded.flow.sample(manager, count, temperature, seed)));
            String title =
                    String.format(
                            Locale.ROOT,
                            "%s, %d samples at temperature T = %s",
                            loaded.describe(),
                            rows.length,
                            temperature);
            Plots.imageGrid(
                    digitPixels(rows, loaded.config.variationalDequantization()),
                    DIGIT_IMAGE,
                    8,
                    12,
                    title,
                    out);
            return;
        }
        int d = Math.toIntExact(shape.size());
        if (samples == null) {
            samples =
                    toDoubles(
                            CliArrays.rows(
                                    loaded.flow.sample(
                                            manager, VECTOR_SAMPLES, temperature, seed)));
        }
        String title = loaded.describe() + (temperature == 1 ? "" : ", T = " + temperature);
        if (d == 1) {
            double[] xs =
                    grid(
                            range != null
                                    ? new double[] {-range, range}
                                    : fit(data != null ? data : samples, 0));
            DensityCurve.write(
                    xs,
                    density(loaded, manager, xs),
                    data == null ? null : column(data),
                    column(samples),
                    loaded.columnNames()[0],
                    title,
                    out);
            return;
        }
        if (d > 2) {
            CornerPlot.write(data, samples, loaded.columnNames(), title, out);
            return;
        }
        double[][] ranges = new double[2][];
        for (int j = 0; j < 2; j++) {
            ranges[j] =
                    range != null
                            ? new double[] {-range, range}
                            : fit(data != null ? data : samples, j);
        }
        double[][] grid = logDensityGrid(loaded, manager, ranges);
        Charts.density2d(
                grid,
                ranges[0],
                ranges[1],
                logScale,
                data,
                samples,
                loaded.columnNames(),
                title,
                out);
    }

    private static double[][] logDensityGrid(
            LoadedFlow loaded, NDManager manager, double[][] ranges) {
        float[] points = new float[2 * GRID * GRID];
        int k = 0;
        for (int r = 0; r < GRID; r++) {
            for (int c = 0; c < GRID; c++) {
                points[k++] =
                        (float) (ranges[0][0] + (c + 0.5) * (ranges[0][1] - ranges[0][0]) / GRID);
                points[k++] =
                        (float) (ranges[1][0] + (r + 0.5) * (ranges[1][1] - ranges[1][0]) / GRID);
            }
        }
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(points, new Shape((long) GRID * GRID, 2));
            float[] logp = loaded.flow.logProb(x).toFloatArray();
            double[][] grid = new double[GRID][GRID];
            for (int i = 0; i < logp.length; i++) {
                grid[i / GRID][i % GRID] = logp[i];
            }
            return grid;
        }
    }

    /** GRID * 4 evenly spaced values across a range. */
    private static double[] grid(double[] range) {
        double[] xs = new double[4 * GRID];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = range[0] + i * (range[1] - range[0]) / (xs.length - 1);
        }
        return xs;
    }

    /** p(x) of a one-column model at each value. */
    private static double[] density(LoadedFlow loaded, NDManager manager, double[] xs) {
        float[] points = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            points[i] = (float) xs[i];
        }
        try (NDManager sub = manager.newSubManager()) {
            float[] logp =
                    loaded.flow.logProb(sub.create(points, new Shape(xs.length, 1))).toFloatArray();
            double[] p = new double[logp.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = Math.exp(logp[i]);
            }
            return p;
        }
    }

    private static double[] column(double[][] rows) {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = rows[i][0];
        }
        return v;
    }

    /** The 0.5%..99.5% range of a column, widened by 15%. */
    private static double[] fit(double[][] rows, int col) {
        double[] v = new double[rows.length];
        int n = 0;
        for (double[] row : rows) {
            if (Double.isFinite(row[col])) {
                v[n++] = row[col];
            }
        }
        Arrays.sort(v, 0, n);
        double lo = n == 0 ? -1 : v[(int) (0.005 * (n - 1))];
        double hi = n == 0 ? 1 : v[(int) Math.ceil(0.995 * (n - 1))];
        double pad = hi > lo ? 0.15 * (hi - lo) : 1;
        return new double[] {lo - pad, hi + pad};
    }

    static double[][] toDoubles(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                out[i][j] = rows[i][j];
            }
        }
        return out;
    }
}
