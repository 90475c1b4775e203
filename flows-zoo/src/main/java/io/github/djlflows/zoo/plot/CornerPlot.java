package io.github.djlflows.zoo.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A corner (pair) plot of data against model samples for D &gt; 2, drawn with JFreeChart: below the
 * diagonal, each pair of columns as a scatter of the data (grey); above it, the same pair with the
 * same axes as its mirror cell, for the model's samples (blue); on the diagonal, the two histograms
 * of each column. Axes in data units, column names on the outer edges. The picture is {@code 40 +
 * 200 D} pixels square.
 *
 * <pre>{@code
 * CornerPlot.write(data, samples, names, "maf on data.csv, test NLL 10.6", Path.of("corner.png"));
 * }</pre>
 */
public final class CornerPlot {

    /** Pixels per cell. */
    public static final int CELL = 200;

    /** Pixels of the title band. */
    public static final int TITLE = 40;

    private static final int BINS = 30;

    private CornerPlot() {}

    /**
     * Writes the corner plot.
     *
     * @param data data rows (n, D), or null to show the samples on both sides
     * @param samples model samples (m, D)
     * @param names the D column names
     * @param title the title
     * @param file the PNG
     * @throws IOException if writing fails
     */
    public static void write(
            double[][] data, double[][] samples, String[] names, String title, Path file)
            throws IOException {
        int d = names.length;
        boolean hasData = data != null;
        if (data == null) {
            data = samples;
        }
        double[][] ranges = new double[d][];
        for (int j = 0; j < d; j++) {
            ranges[j] = range(data, j);
        }
        int size = TITLE + CELL * d;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        Charts.title(
                g,
                title
                        + (hasData
                                ? "  (below: data, grey; above: model samples, blue, same axes as the mirror cell)"
                                : "  (model samples)"),
                14,
                0,
                8,
                size,
                TITLE - 12);
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                JFreeChart cell =
                        r == c
                                ? histogram(hasData ? data : null, samples, c, ranges[c])
                                : r > c
                                        ? scatter(data, hasData, c, r, ranges)
                                        : scatter(samples, false, r, c, ranges);
                XYPlot plot = cell.getXYPlot();
                NumberAxis x = (NumberAxis) plot.getDomainAxis();
                NumberAxis y = (NumberAxis) plot.getRangeAxis();
                x.setLabel(r == d - 1 ? names[c] : null);
                x.setTickLabelsVisible(r == d - 1);
                y.setLabel(c == 0 && r != 0 ? names[r] : null);
                y.setTickLabelsVisible(c == 0 && r != 0);
                Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
                x.setTickLabelFont(small);
                y.setTickLabelFont(small);
                Charts.style(cell);
                cell.draw(g, new Rectangle2D.Double(c * CELL, TITLE + r * CELL, CELL, CELL));
            }
        }
        g.dispose();
        Charts.write(image, file);
    }

    private static JFreeChart scatter(
            double[][] rows, boolean isData, int cx, int cy, double[][] ranges) {
        XYSeries s = new XYSeries(isData ? "data" : "samples", false, true);
        int step = Math.max(1, rows.length / 1500);
        for (int i = 0; i < rows.length; i += step) {
            if (Double.isFinite(rows[i][cx]) && Double.isFinite(rows[i][cy])) {
                s.add(rows[i][cx], rows[i][cy], false);
            }
        }
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        dots.setSeriesShape(0, new Ellipse2D.Double(-1, -1, 2, 2));
        dots.setSeriesPaint(0, isData ? Charts.DATA : Charts.SAMPLES);
        XYPlot plot =
                new XYPlot(
                        new XYSeriesCollection(s),
                        Charts.axis(null, ranges[cx]),
                        Charts.axis(null, ranges[cy]),
                        dots);
        return new JFreeChart(null, null, plot, false);
    }

    private static JFreeChart histogram(
            double[][] data, double[][] samples, int col, double[] range) {
        XYSeriesCollection hist = new XYSeriesCollection();
        hist.addSeries(counts("samples", samples, col, range));
        if (data != null) {
            hist.addSeries(counts("data", data, col, range));
        }
        XYStepRenderer steps = new XYStepRenderer();
        steps.setSeriesPaint(0, new Color(30, 90, 200));
        steps.setSeriesPaint(1, Color.DARK_GRAY);
        NumberAxis y = new NumberAxis();
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(hist, Charts.axis(null, range), y, steps);
        return new JFreeChart(null, null, plot, false);
    }

    /** Normalised histogram (fraction per bin) as a step series. */
    private static XYSeries counts(String name, double[][] rows, int col, double[] range) {
        double[] bins = new double[BINS];
        double width = (range[1] - range[0]) / BINS;
        for (double[] row : rows) {
            int b = (int) Math.floor((row[col] - range[0]) / width);
            if (b >= 0 && b < BINS) {
                bins[b]++;
            }
        }
        XYSeries s = new XYSeries(name);
        for (int b = 0; b < BINS; b++) {
            s.add(range[0] + b * width, bins[b] / Math.max(1, rows.length));
        }
        s.add(range[1], bins[BINS - 1] / Math.max(1, rows.length));
        return s;
    }

    /** The data's 0.5%..99.5% range of a column, widened by 10%. */
    private static double[] range(double[][] rows, int col) {
        double[] v = new double[rows.length];
        int n = 0;
        for (double[] row : rows) {
            if (Double.isFinite(row[col])) {
                v[n++] = row[col];
            }
        }
        java.util.Arrays.sort(v, 0, n);
        double lo = n == 0 ? -1 : v[(int) (0.005 * (n - 1))];
        double hi = n == 0 ? 1 : v[(int) Math.ceil(0.995 * (n - 1))];
        double pad = hi > lo ? 0.1 * (hi - lo) : 1;
        return new double[] {lo - pad, hi + pad};
    }
}
