package io.github.djlflows.zoo.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The picture of a one-column model, drawn with JFreeChart: its density p(x) as a curve (blue) over
 * histograms of the data (grey) and of its samples (light blue), both scaled as densities (count /
 * (n · bin width)) so all three share the y axis. Axis in data units; 900 x 500 pixels.
 *
 * <pre>{@code
 * DensityCurve.write(xs, density, data, samples, "latency", "nsf-ar on lat.csv", Path.of("p.png"));
 * }</pre>
 */
public final class DensityCurve {

    private static final int BINS = 40;

    private DensityCurve() {}

    /**
     * Writes the picture.
     *
     * @param xs the grid of x values, increasing
     * @param density p(x) at each grid value
     * @param data data values, or null
     * @param samples model samples
     * @param name the column name (the x axis label)
     * @param title the title
     * @param file the PNG
     * @throws IOException if writing fails
     */
    public static void write(
            double[] xs,
            double[] density,
            double[] data,
            double[] samples,
            String name,
            String title,
            Path file)
            throws IOException {
        double[] range = {xs[0], xs[xs.length - 1]};
        XYSeriesCollection hist = new XYSeriesCollection();
        hist.addSeries(histogram("model samples", samples, range));
        if (data != null) {
            hist.addSeries(histogram("data", data, range));
        }
        XYSeries curve = new XYSeries("model density p(x)", false, true);
        for (int i = 0; i < xs.length; i++) {
            if (Double.isFinite(density[i])) {
                curve.add(xs[i], density[i], false);
            }
        }
        XYStepRenderer steps = new XYStepRenderer();
        steps.setSeriesPaint(0, new Color(120, 160, 230));
        steps.setSeriesPaint(1, Color.DARK_GRAY);
        NumberAxis y = new NumberAxis("density");
        y.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(hist, Charts.axis(name, range), y, steps);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, new Color(30, 90, 200));
        line.setSeriesStroke(0, new BasicStroke(2.5f));
        plot.setDataset(1, new XYSeriesCollection(curve));
        plot.setRenderer(1, line);
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        LegendTitle legend = new LegendTitle(plot);
        legend.setPosition(RectangleEdge.BOTTOM);
        chart.addLegend(legend);
        Charts.style(chart);
        BufferedImage image = new BufferedImage(900, 500, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 900, 500);
        Charts.title(g, title, 16, 0, 4, 900, 28);
        chart.draw(g, new Rectangle2D.Double(0, 34, 900, 466));
        g.dispose();
        Charts.write(image, file);
    }

    /** A histogram scaled as a density (count / (n · width)), as a step series. */
    private static XYSeries histogram(String name, double[] values, double[] range) {
        double[] bins = new double[BINS];
        double width = (range[1] - range[0]) / BINS;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                n++;
                int b = (int) Math.floor((v - range[0]) / width);
                if (b >= 0 && b < BINS) {
                    bins[b]++;
                }
            }
        }
        double scale = 1.0 / (Math.max(1, n) * width);
        XYSeries s = new XYSeries(name);
        for (int b = 0; b < BINS; b++) {
            s.add(range[0] + b * width, bins[b] * scale);
        }
        s.add(range[1], bins[BINS - 1] * scale);
        return s;
    }
}
