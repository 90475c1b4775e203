package io.github.djlflows.zoo.plot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.NormalizingFlow;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * PNG pictures of flows: a 2-D density heat map beside a scatter of samples, and a grid of image
 * samples. Pure Java (AWT, headless).
 *
 * <pre>{@code
 * Plots.density(flow, manager, 3.5, Path.of("moons.png"));
 * }</pre>
 */
public final class Plots {

    private static final int PANEL = 400;

    private Plots() {}

    /**
     * Writes a two-panel PNG (800 x 400): the model density on [-range, range]^2 and 2000 samples.
     *
     * @param flow a 2-D flow
     * @param manager a manager for temporary arrays
     * @param range the half-width of the plotted square
     * @param file the PNG to write
     * @throws IOException if writing fails
     */
    public static void density(NormalizingFlow flow, NDManager manager, double range, Path file)
            throws IOException {
        BufferedImage image = new BufferedImage(2 * PANEL, PANEL, BufferedImage.TYPE_INT_RGB);
        try (NDManager sub = manager.newSubManager()) {
            float[] grid = new float[2 * PANEL * PANEL];
            int k = 0;
            for (int row = 0; row < PANEL; row++) {
                for (int col = 0; col < PANEL; col++) {
                    grid[k++] = (float) toData(col, range);
                    grid[k++] = (float) -toData(row, range);
                }
            }
            NDArray points = sub.create(grid, new Shape((long) PANEL * PANEL, 2));
            float[] density = flow.logProb(points).exp().toFloatArray();
            float max = 0;
            for (float d : density) {
                max = Float.isFinite(d) ? Math.max(max, d) : max;
            }
            for (int i = 0; i < density.length; i++) {
                float v = max > 0 && Float.isFinite(density[i]) ? density[i] / max : 0;
                image.setRGB(i % PANEL, i / PANEL, Colormap.rgb(v));
            }
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(PANEL, 0, PANEL, PANEL);
            g.setColor(new Color(40, 60, 160));
            float[] samples = flow.sample(sub, 2000, 7L).toFloatArray();
            for (int i = 0; i + 1 < samples.length; i += 2) {
                int x = PANEL + toPixel(samples[i], range);
                int y = toPixel(-samples[i + 1], range);
                g.fillOval(x - 2, y - 2, 4, 4);
            }
            g.setColor(Color.GRAY);
            g.drawLine(PANEL, 0, PANEL, PANEL);
            g.dispose();
        }
        write(image, file);
    }

    /**
     * Writes a grid of grey-scale or RGB image samples.
     *
     * @param samples flattened samples, each of shape (channels, height, width), values in [0, 1]
     * @param shape the (channels, height, width) of one sample
     * @param columns the number of columns
     * @param scale the pixel magnification
     * @param file the PNG to write
     * @throws IOException if writing fails
     */
    public static void imageGrid(float[][] samples, Shape shape, int columns, int scale, Path file)
            throws IOException {
        int c = (int) shape.get(0);
        int h = (int) shape.get(1);
        int w = (int) shape.get(2);
        int rows = (samples.length + columns - 1) / columns;
        BufferedImage image =
                new BufferedImage(columns * w * scale, rows * h * scale, BufferedImage.TYPE_INT_RGB);
        for (int s = 0; s < samples.length; s++) {
            int ox = (s % columns) * w * scale;
            int oy = (s / columns) * h * scale;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int[] rgb = new int[3];
                    for (int ch = 0; ch < 3; ch++) {
                        float v = samples[s][Math.min(ch, c - 1) * h * w + y * w + x];
                        rgb[ch] = Math.max(0, Math.min(255, Math.round(v * 255)));
                    }
                    int color = (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            image.setRGB(ox + x * scale + dx, oy + y * scale + dy, color);
                        }
                    }
                }
            }
        }
        write(image, file);
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    private static double toData(int pixel, double range) {
        return -range + (pixel + 0.5) * 2 * range / PANEL;
    }

    private static int toPixel(double value, double range) {
        return (int) Math.round((value + range) / (2 * range) * PANEL);
    }
}
