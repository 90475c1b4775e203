package io.github.djlflows.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded generators of the classic 2-D toy densities, each standardised per coordinate to mean 0
 * and standard deviation 1 (using the statistics of a fixed 100 000-point reference draw, so train
 * and held-out sets share one transform).
 *
 * <ul>
 *   <li>{@link #TWO_MOONS}: scikit-learn's {@code make_moons}, two interleaved half circles,
 *       Gaussian noise 0.05 (entropy after standardisation about 1.12 nats);
 *   <li>{@link #EIGHT_GAUSSIANS}: eight Gaussians (std 0.02 · radius) on a circle;
 *   <li>{@link #CHECKERBOARD}: uniform on the dark squares of a 4x4 board;
 *   <li>{@link #PINWHEEL}: five curved arms;
 *   <li>{@link #TWO_SPIRALS}: two interleaved spirals.
 * </ul>
 *
 * <pre>{@code
 * NDArray train = ToyDensity.TWO_MOONS.sample(manager, 10_000, 1L);
 * }</pre>
 */
public enum ToyDensity {
    TWO_MOONS,
    EIGHT_GAUSSIANS,
    CHECKERBOARD,
    PINWHEEL,
    TWO_SPIRALS;

    private static final int REFERENCE_SIZE = 100_000;
    private static final long REFERENCE_SEED = 0L;

    private double[] stats;

    /**
     * Parses a name such as {@code two-moons} or {@code TWO_MOONS}.
     *
     * @param name the name
     * @return the density
     * @throws IllegalArgumentException naming the known densities
     */
    public static ToyDensity fromName(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ToyDensity d : values()) {
            if (d.name().equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown toy density '" + name + "', expected one of " + names());
    }

    /**
     * The names as used on the command line ({@code two-moons}, ...).
     *
     * @return the names joined by commas
     */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (ToyDensity d : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(d.cliName());
        }
        return sb.toString();
    }

    /**
     * The command-line name, e.g. {@code two-moons}.
     *
     * @return the lower-case, hyphenated name
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Draws {@code n} standardised points.
     *
     * @param n the number of points
     * @param seed the seed: the same seed gives the same points
     * @return the points, row-major (x0, y0, x1, y1, ...)
     */
    public double[] generate(int n, long seed) {
        double[] raw = raw(n, seed);
        double[] s = standardisation();
        for (int i = 0; i < n; i++) {
            raw[2 * i] = (raw[2 * i] - s[0]) / s[1];
            raw[2 * i + 1] = (raw[2 * i + 1] - s[2]) / s[3];
        }
        return raw;
    }

    /**
     * Draws {@code n} standardised points as a float32 array of shape (n, 2).
     *
     * @param manager the manager that owns the result
     * @param n the number of points
     * @param seed the seed
     * @return the points
     */
    public NDArray sample(NDManager manager, int n, long seed) {
        double[] points = generate(n, seed);
        float[] f = new float[points.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) points[i];
        }
        return manager.create(f, new Shape(n, 2));
    }

    /**
     * The per-coordinate standardisation that {@link #generate} applies, {@code y = (x - mean) /
     * std}, so a density of the raw generator can be carried to the standardised points: {@code log
     * p_std(y) = log p_raw(mean + std * y) + log std_x + log std_y}.
     *
     * @return {@code {mean_x, std_x, mean_y, std_y}}, a copy
     */
    public double[] getStandardisation() {
        return standardisation().clone();
    }

    private synchronized double[] standardisation() {
        if (stats == null) {
            double[] ref = raw(REFERENCE_SIZE, REFERENCE_SEED);
            double[] s = new double[4];
            for (int c = 0; c < 2; c++) {
                double mean = 0;
                for (int i = 0; i < REFERENCE_SIZE; i++) {
                    mean += ref[2 * i + c];
                }
                mean /= REFERENCE_SIZE;
                double var = 0;
                for (int i = 0; i < REFERENCE_SIZE; i++) {
                    double d = ref[2 * i + c] - mean;
                    var += d * d;
                }
                s[2 * c] = mean;
                s[2 * c + 1] = Math.sqrt(var / REFERENCE_SIZE);
            }
            stats = s;
        }
        return stats;
    }

    private double[] raw(int n, long seed) {
        Random random = new Random(seed);
        double[] out = new double[2 * n];
        switch (this) {
            case TWO_MOONS:
                moons(out, n, random);
                break;
            case EIGHT_GAUSSIANS:
                for (int i = 0; i < n; i++) {
                    double angle = random.nextInt(8) * Math.PI / 4;
                    out[2 * i] = 2 * Math.cos(angle) + 0.1 * random.nextGaussian();
                    out[2 * i + 1] = 2 * Math.sin(angle) + 0.1 * random.nextGaussian();
                }
                break;
            case CHECKERBOARD:
                for (int i = 0; i < n; i++) {
                    double x1 = random.nextDouble() * 4 - 2;
                    double x2 = random.nextDouble() - random.nextInt(2) * 2;
                    x2 += Math.floor(x1) % 2 == 0 ? 0 : 1;
                    out[2 * i] = x1 * 2;
                    out[2 * i + 1] = x2 * 2;
                }
                break;
            case PINWHEEL:
                pinwheel(out, n, random);
                break;
            case TWO_SPIRALS:
                for (int i = 0; i < n; i++) {
                    double t = Math.sqrt(random.nextDouble()) * 540 * Math.PI / 180;
                    double sign = random.nextBoolean() ? 1 : -1;
                    out[2 * i] = sign * (-Math.cos(t) * t) + random.nextDouble() * 0.5;
                    out[2 * i + 1] = sign * (Math.sin(t) * t) + random.nextDouble() * 0.5;
                }
                break;
            default:
                throw new IllegalStateException("unknown density " + this);
        }
        return out;
    }

    /** scikit-learn's make_moons: evenly spaced angles, shuffled, Gaussian noise 0.05. */
    private static void moons(double[] out, int n, Random random) {
        int outer = n / 2;
        int inner = n - outer;
        double[] points = new double[2 * n];
        for (int i = 0; i < outer; i++) {
            double t = outer == 1 ? 0 : Math.PI * i / (outer - 1);
            points[2 * i] = Math.cos(t);
            points[2 * i + 1] = Math.sin(t);
        }
        for (int i = 0; i < inner; i++) {
            double t = inner == 1 ? 0 : Math.PI * i / (inner - 1);
            points[2 * (outer + i)] = 1 - Math.cos(t);
            points[2 * (outer + i) + 1] = 0.5 - Math.sin(t);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < n; i++) {
            out[2 * i] = points[2 * order[i]] + 0.05 * random.nextGaussian();
            out[2 * i + 1] = points[2 * order[i] + 1] + 0.05 * random.nextGaussian();
        }
    }

    private static void pinwheel(double[] out, int n, Random random) {
        int classes = 5;
        double radialStd = 0.3;
        double tangentialStd = 0.1;
        double rate = 0.25;
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(classes);
            double a = random.nextGaussian() * radialStd + 1;
            double b = random.nextGaussian() * tangentialStd;
            double angle = 2 * Math.PI * label / classes + rate * Math.exp(a);
            out[2 * i] = 2 * (a * Math.cos(angle) - b * Math.sin(angle));
            out[2 * i + 1] = 2 * (a * Math.sin(angle) + b * Math.cos(angle));
        }
    }
}
