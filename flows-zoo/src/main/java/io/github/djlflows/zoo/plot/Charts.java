package io.github.djlflows.zoo.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Charts drawn with JFreeChart: a training curve, a 2-D density heat map in data units with a
 * colour bar beside a scatter of data and samples. {@link CornerPlot} draws pair plots, {@link
 * Plots#imageGrid} image grids.
 *
 * <pre>{@code
 * Charts.trainingCurve(train, validation, bestEpoch, "realnvp on data.csv", Path.of("curve.png"));
 * }</pre>
 */
public final class Charts {

    /** The colour of data points. */
    static final Color DATA = new Color(90, 90, 90, 110);

    /** The colour of model samples. */
    static final Color SAMPLES = new Color(30, 90, 200, 110);

    /** The smallest title font: a longer title wraps at this size. */
    static final int MIN_TITLE_SIZE = 10;

    private Charts() {}

    /**
     * Writes the training curve (train and validation NLL per epoch), 800 x 500, with a marker at
     * the best epoch when there is a validation curve.
     *
     * @param train mean training NLL per epoch
     * @param validation validation NLL per epoch, or empty
     * @param bestEpoch the 1-based epoch whose weights were kept
     * @param title the chart title
     * @param file the PNG
     * @throws IOException if writing fails
     */
    public static void trainingCurve(
            List<Double> train, List<Double> validation, int bestEpoch, String title, Path file)
            throws IOException {
        XYSeries t = new XYSeries("train NLL");
        XYSeries v = new XYSeries("validation NLL");
        for (int i = 0; i < train.size(); i++) {
            t.add(i + 1, train.get(i));
            if (i < validation.size()) {
                v.add(i + 1, validation.get(i));
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(t);
        if (!validation.isEmpty()) {
            data.addSeries(v);
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        title,
                        "epoch",
                        "NLL (nats per row)",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        XYPlot plot = chart.getXYPlot();
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getDomainAxis())
                .setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (!validation.isEmpty()) {
            ValueMarker best = new ValueMarker(bestEpoch, Color.GRAY, new BasicStroke(1f));
            best.setLabel("best validation, epoch " + bestEpoch + "  ");
            best.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
            best.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(best);
        }
        style(chart);
        write(render(List.of(chart), 800, 500), file);
    }

    /**
     * Writes a 2-D density picture, 1100 x 500: the model's density on a grid (axes in data units,
     * colour bar of density or log-density) and, beside it, the data over the model's samples.
     *
     * @param grid the model's log-density on the grid, row-major with x fastest, (ny, nx)
     * @param xRange the grid's x from and to
     * @param yRange the grid's y from and to
     * @param logScale whether the colours show log-density instead of density
     * @param data data points (n, 2), or null
     * @param samples model samples (m, 2)
     * @param names the two axis names
     * @param title the title (model, data, NLL)
     * @param file the PNG
     * @throws IOException if writing fails
     */
    public static void density2d(
            double[][] grid,
            double[] xRange,
            double[] yRange,
            boolean logScale,
            double[][] data,
            double[][] samples,
            String[] names,
            String title,
            Path file)
            throws IOException {
        int ny = grid.length;
        int nx = grid[0].length;
        double dx = (xRange[1] - xRange[0]) / nx;
        double dy = (yRange[1] - yRange[0]) / ny;
        double[][] xyz = new double[3][nx * ny];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < ny; r++) {
            for (int c = 0; c < nx; c++) {
                int k = r * nx + c;
                double value = logScale ? grid[r][c] : Math.exp(grid[r][c]);
                xyz[0][k] = xRange[0] + (c + 0.5) * dx;
                xyz[1][k] = yRange[0] + (r + 0.5) * dy;
                xyz[2][k] = value;
                if (Double.isFinite(value)) {
                    lo = Math.min(lo, value);
                    hi = Math.max(hi, value);
                }
            }
        }
        if (logScale) {
            lo = Math.max(lo, hi - 12);
        } else {
            lo = 0;
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        DefaultXYZDataset dataset = new DefaultXYZDataset();
        dataset.addSeries("density", xyz);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setBlockWidth(dx);
        renderer.setBlockHeight(dy);
        ViridisScale scale = new ViridisScale(lo, hi);
        renderer.setPaintScale(scale);
        XYPlot heat = new XYPlot(dataset, axis(names[0], xRange), axis(names[1], yRange), renderer);
        JFreeChart left =
                new JFreeChart("model density", JFreeChart.DEFAULT_TITLE_FONT, heat, false);
        NumberAxis barAxis = new NumberAxis(logScale ? "log density" : "density");
        barAxis.setRange(lo, hi);
        PaintScaleLegend bar = new PaintScaleLegend(scale, barAxis);
        bar.setPosition(RectangleEdge.RIGHT);
        bar.setStripWidth(14);
        bar.setMargin(6, 6, 6, 6);
        left.addSubtitle(bar);

        XYSeriesCollection points = new XYSeriesCollection();
        points.addSeries(series("model samples", samples));
        if (data != null) {
            points.addSeries(series("data", data));
        }
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        Ellipse2D dot = new Ellipse2D.Double(-1.5, -1.5, 3, 3);
        dots.setSeriesShape(0, dot);
        dots.setSeriesPaint(0, SAMPLES);
        dots.setSeriesShape(1, dot);
        dots.setSeriesPaint(1, DATA);
        XYPlot scatter = new XYPlot(points, axis(names[0], xRange), axis(names[1], yRange), dots);
        JFreeChart right =
                new JFreeChart(
                        data == null ? "model samples" : "data and model samples",
                        JFreeChart.DEFAULT_TITLE_FONT,
                        scatter,
                        true);
        style(left);
        style(right);
        BufferedImage image = new BufferedImage(1100, 500, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1100, 500);
        title(g, title, 16, 0, 4, 1100, 28);
        left.draw(g, new Rectangle2D.Double(0, 34, 580, 466));
        right.draw(g, new Rectangle2D.Double(580, 34, 520, 466));
        g.dispose();
        write(image, file);
    }

    /**
     * Draws a centred title line (a JFreeChart text title, arranged then drawn) in a band, the font
     * shrunk from {@code size} towards {@link #MIN_TITLE_SIZE} until the line fits the width.
     */
    static void title(
            Graphics2D g, String text, int size, double x, double y, double width, double height) {
        // a smaller font before a second line, which the band may not hold
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, size);
        while (font.getSize() > MIN_TITLE_SIZE
                && g.getFontMetrics(font).stringWidth(text) > width - 8) {
            font = font.deriveFont((float) font.getSize() - 1);
        }
        TextTitle t = new TextTitle(text, font);
        t.setPaint(Color.BLACK);
        t.arrange(g, org.jfree.chart.block.RectangleConstraint.NONE.toFixedWidth(width));
        t.draw(g, new Rectangle2D.Double(x, y, width, height));
    }

    static NumberAxis axis(String label, double[] range) {
        NumberAxis axis = new NumberAxis(label);
        axis.setRange(range[0], range[1]);
        return axis;
    }

    static XYSeries series(String name, double[][] points) {
        XYSeries s = new XYSeries(name, false, true);
        for (double[] p : points) {
            if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                s.add(p[0], p[1], false);
            }
        }
        return s;
    }

    static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot) {
            XYPlot plot = chart.getXYPlot();
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(220, 220, 220));
            plot.setRangeGridlinePaint(new Color(220, 220, 220));
        }
    }

    static BufferedImage render(List<JFreeChart> charts, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int w = width / charts.size();
        for (int i = 0; i < charts.size(); i++) {
            charts.get(i).draw(g, new Rectangle2D.Double(i * w, 0, w, height));
        }
        g.dispose();
        return image;
    }

    static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    /** The viridis-like colour map as a JFreeChart paint scale. */
    static final class ViridisScale implements PaintScale {

        private final double lower;
        private final double upper;

        ViridisScale(double lower, double upper) {
            this.lower = lower;
            this.upper = upper;
        }

        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            float v = Double.isFinite(value) ? (float) ((value - lower) / (upper - lower)) : 0f;
            return new Color(Colormap.rgb(v));
        }
    }
}
