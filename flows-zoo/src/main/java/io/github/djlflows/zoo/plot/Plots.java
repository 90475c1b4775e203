package io.github.djlflows.zoo.plot;

import ai.djl.ndarray.types.Shape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Image sample grids: samples side by side with gutters between them and a title band (model,
 * temperature) drawn with JFreeChart's text title.
 *
 * <pre>{@code
 * Plots.imageGrid(rows, new Shape(1, 28, 28), 8, 3, "glow, T = 0.7", Path.of("grid.png"));
 * }</pre>
 */
public final class Plots {

    /** Pixels between two images and around the grid. */
    public static final int GUTTER = 4;

    /** Pixels of the title band. */
    public static final int TITLE = 30;

    private Plots() {}

    /**
     * The size of a grid picture.
     *
     * @param count the number of samples
     * @param shape the (channels, height, width) of one sample
     * @param columns the number of columns
     * @param scale the pixel magnification
     * @return {width, height}
     */
    public static int[] gridSize(int count, Shape shape, int columns, int scale) {
        int cols = Math.min(columns, count);
        int rows = (count + columns - 1) / columns;
        int w = (int) shape.get(2) * scale;
        int h = (int) shape.get(1) * scale;
        return new int[] {cols * w + (cols + 1) * GUTTER, TITLE + rows * h + (rows + 1) * GUTTER};
    }

    /**
     * Writes a grid of grey-scale or RGB image samples, {@link #gridSize} pixels.
     *
     * @param samples flattened samples, each of shape (channels, height, width), values in [0, 1]
     * @param shape the (channels, height, width) of one sample
     * @param columns the number of columns
     * @param scale the pixel magnification
     * @param title the title (model, temperature)
     * @param file the PNG to write
     * @throws IOException if writing fails
     */
    public static void imageGrid(
            float[][] samples, Shape shape, int columns, int scale, String title, Path file)
            throws IOException {
        int c = (int) shape.get(0);
        int h = (int) shape.get(1);
        int w = (int) shape.get(2);
        int[] size = gridSize(samples.length, shape, columns, scale);
        BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(235, 235, 235));
        g.fillRect(0, 0, size[0], size[1]);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size[0], TITLE);
        Charts.title(g, title, 14, 0, 4, size[0], TITLE - 6);
        g.dispose();
        for (int s = 0; s < samples.length; s++) {
            int ox = GUTTER + (s % columns) * (w * scale + GUTTER);
            int oy = TITLE + GUTTER + (s / columns) * (h * scale + GUTTER);
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
        Charts.write(image, file);
    }
}
