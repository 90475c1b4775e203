package io.github.djlflows.zoo.plot;

/**
 * A perceptually ordered dark-blue to yellow colour map (viridis-like, by linear interpolation).
 */
final class Colormap {

    private static final int[][] STOPS = {
        {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}
    };

    private Colormap() {}

    /** The packed RGB colour of v in [0, 1]. */
    static int rgb(float v) {
        float t = Math.max(0, Math.min(1, v)) * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) t);
        float f = t - i;
        int r = Math.round(STOPS[i][0] + f * (STOPS[i + 1][0] - STOPS[i][0]));
        int g = Math.round(STOPS[i][1] + f * (STOPS[i + 1][1] - STOPS[i][1]));
        int b = Math.round(STOPS[i][2] + f * (STOPS[i + 1][2] - STOPS[i][2]));
        return (r << 16) | (g << 8) | b;
    }
}
