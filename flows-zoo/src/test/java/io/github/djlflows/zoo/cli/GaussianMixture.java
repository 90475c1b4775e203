package io.github.djlflows.zoo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A mixture of three correlated Gaussians in 5-D whose columns live on scales from 1e-3 to 1e3,
 * with its exact log-density, for end-to-end tests of CSV training.
 */
final class GaussianMixture {

    static final int D = 5;
    static final String[] NAMES = {"micro", "milli", "unit", "tens", "kilo"};

    /** Column scales (and offsets) applied after the standard-unit mixture. */
    static final double[] SCALE = {1e-3, 3e-2, 1, 40, 1e3};

    static final double[] OFFSET = {5e-3, -0.2, 3, 100, -2e3};

    private static final double[] WEIGHTS = {0.5, 0.3, 0.2};
    private final double[][] means = new double[3][D];

    /** Lower-triangular Cholesky factors of each component's covariance (standard units). */
    private final double[][][] chol = new double[3][D][D];

    GaussianMixture(long seed) {
        Random r = new Random(seed);
        double[][] centres = {{0, 0, 0, 0, 0}, {3, -2, 1, 2, -1}, {-2, 3, -2, 1, 2}};
        for (int k = 0; k < 3; k++) {
            means[k] = centres[k].clone();
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < i; j++) {
                    chol[k][i][j] = 0.6 * r.nextGaussian();
                }
                chol[k][i][i] = 0.5 + 0.5 * r.nextDouble();
            }
        }
    }

    /** Draws n rows in the data's units. */
    double[][] sample(int n, long seed) {
        Random r = new Random(seed);
        double[][] out = new double[n][];
        for (int s = 0; s < n; s++) {
            double u = r.nextDouble();
            int k = u < WEIGHTS[0] ? 0 : u < WEIGHTS[0] + WEIGHTS[1] ? 1 : 2;
            double[] e = new double[D];
            for (int i = 0; i < D; i++) {
                e[i] = r.nextGaussian();
            }
            double[] x = new double[D];
            for (int i = 0; i < D; i++) {
                double v = means[k][i];
                for (int j = 0; j <= i; j++) {
                    v += chol[k][i][j] * e[j];
                }
                x[i] = OFFSET[i] + SCALE[i] * v;
            }
            out[s] = x;
        }
        return out;
    }

    /** The exact log-density of a row in the data's units (nats). */
    double logDensity(double[] x) {
        double logJacobian = 0;
        double[] y = new double[D];
        for (int i = 0; i < D; i++) {
            y[i] = (x[i] - OFFSET[i]) / SCALE[i];
            logJacobian -= Math.log(SCALE[i]);
        }
        double[] terms = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
            double[] z = new double[D];
            double logDet = 0;
            for (int i = 0; i < D; i++) {
                double v = y[i] - means[k][i];
                for (int j = 0; j < i; j++) {
                    v -= chol[k][i][j] * z[j];
                }
                z[i] = v / chol[k][i][i];
                logDet += Math.log(chol[k][i][i]);
            }
            double sq = 0;
            for (double zi : z) {
                sq += zi * zi;
            }
            terms[k] = Math.log(WEIGHTS[k]) - 0.5 * sq - logDet - 0.5 * D * Math.log(2 * Math.PI);
            max = Math.max(max, terms[k]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum) + logJacobian;
    }

    /**
     * The differential entropy by Monte Carlo: -mean log p over n fresh samples, and its standard
     * error.
     */
    double[] entropy(int n, long seed) {
        double sum = 0;
        double sq = 0;
        for (double[] x : sample(n, seed)) {
            double l = logDensity(x);
            sum += l;
            sq += l * l;
        }
        double mean = sum / n;
        return new double[] {-mean, Math.sqrt((sq / n - mean * mean) / n)};
    }

    static void write(Path file, double[][] rows) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println(String.join(",", NAMES));
            for (double[] row : rows) {
                StringBuilder sb = new StringBuilder();
                for (int j = 0; j < row.length; j++) {
                    sb.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.9g", row[j]));
                }
                w.println(sb);
            }
        }
    }
}
