package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Checks of written PNGs: they decode, have the stated size, and text (axes) where axes belong. */
final class Pictures {

    private Pictures() {}

    static BufferedImage decode(Path png, int width, int height) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode as an image");
        assertEquals(width, image.getWidth(), png + " width");
        assertEquals(height, image.getHeight(), png + " height");
        return image;
    }

    /** Asserts that a rectangle holds dark pixels (tick labels, axis lines, titles): not blank. */
    static void assertInk(BufferedImage image, String what, int x0, int y0, int x1, int y1) {
        int dark = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = image.getRGB(x, y);
                int luminance =
                        (((rgb >> 16) & 255) * 3 + ((rgb >> 8) & 255) * 6 + (rgb & 255)) / 10;
                if (luminance < 110) {
                    dark++;
                }
            }
        }
        assertTrue(
                dark >= 20,
                what
                        + " region ("
                        + x0
                        + ","
                        + y0
                        + ")-("
                        + x1
                        + ","
                        + y1
                        + ") is blank: "
                        + dark
                        + " dark pixels");
    }

    /** The density picture: title band, left axis labels, bottom axis labels of both panels. */
    static void assertDensityPicture(Path png) throws Exception {
        BufferedImage image = decode(png, 1100, 500);
        assertInk(image, "title", 200, 0, 900, 34);
        assertInk(image, "left panel y axis", 0, 60, 60, 440);
        assertInk(image, "left panel x axis", 60, 440, 500, 500);
        assertInk(image, "colour bar", 500, 60, 580, 440);
        assertInk(image, "right panel x axis", 640, 440, 1100, 500);
    }
}
