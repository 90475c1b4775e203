package io.github.djlflows.zoo;

import io.github.djlflows.core.data.ToyDensity;

/**
 * The true log-densities of the 2-D toy generators at standardised points, in closed form (eight
 * Gaussians, checkerboard) or by quadrature over the generators' latent variables (two moons,
 * pinwheel, two spirals); the NLL floor a model can reach on given points.
 */
final class TrueDensities {

    private TrueDensities() {}

    /**
     * log p(y) of the standardised density at (y0, y1).
     *
     * @param density the generator
     * @param y0 the first coordinate
     * @param y1 the second coordinate
     * @return the log-density (negative infinity outside the support)
     */
    static double logDensity(ToyDensity density, double y0, double y1) {
        double[] s = density.getStandardisation();
        double x0 = s[0] + s[1] * y0;
        double x1 = s[2] + s[3] * y1;
        return Math.log(rawDensity(density, x0, x1)) + Math.log(s[1]) + Math.log(s[3]);
    }

    /**
     * The mean -log p over points (row-major x, y pairs).
     *
     * @param density the generator
     * @param points the points
     * @return the floor in nats
     */
    static double nll(ToyDensity density, float[] points) {
        double sum = 0;
        int n = points.length / 2;
        for (int i = 0; i < n; i++) {
            sum -= logDensity(density, points[2 * i], points[2 * i + 1]);
        }
        return sum / n;
    }

    private static double rawDensity(ToyDensity density, double x0, double x1) {
        switch (density) {
            case TWO_MOONS:
                return moons(x0, x1);
            case EIGHT_GAUSSIANS:
                return eightGaussians(x0, x1);
            case CHECKERBOARD:
                return checkerboard(x0, x1);
            case PINWHEEL:
                return pinwheel(x0, x1);
            case TWO_SPIRALS:
                return spirals(x0, x1);
            default:
                throw new IllegalArgumentException("no true density for " + density);
        }
    }

    private static double normal2(double dx, double dy, double sigma) {
        return Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma);
    }

    private static double normal(double x, double mean, double sigma) {
        double d = (x - mean) / sigma;
        return Math.exp(-0.5 * d * d) / (Math.sqrt(2 * Math.PI) * sigma);
    }

    /**
     * Half circles with angle t uniform on [0, pi] (the generator's even grid, large n), noise
     * 0.05.
     */
    private static double moons(double x0, double x1) {
        int k = 2000;
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double t = Math.PI * (i + 0.5) / k;
            double c = Math.cos(t);
            double s = Math.sin(t);
            sum += normal2(x0 - c, x1 - s, 0.05) + normal2(x0 - (1 - c), x1 - (0.5 - s), 0.05);
        }
        return sum / (2.0 * k);
    }

    private static double eightGaussians(double x0, double x1) {
        double sum = 0;
        for (int k = 0; k < 8; k++) {
            double angle = k * Math.PI / 4;
            sum += normal2(x0 - 2 * Math.cos(angle), x1 - 2 * Math.sin(angle), 0.1);
        }
        return sum / 8;
    }

    /** Uniform 1/32 on the dark squares: x = 2a, y = 2b, b - shift in [0, 1) or [-2, -1). */
    private static double checkerboard(double x0, double x1) {
        double a = x0 / 2;
        double b = x1 / 2;
        if (a < -2 || a >= 2) {
            return 0;
        }
        double shift = Math.floor(a) % 2 == 0 ? 0 : 1;
        double v = b - shift;
        boolean inside = (v >= 0 && v < 1) || (v >= -2 && v < -1);
        return inside ? 1.0 / 32 : 0;
    }

    /**
     * x = 2 R(phi(a)) (a, b), phi = 2 pi l / 5 + 0.25 e^a, a ~ N(1, 0.3), b ~ N(0, 0.1): every
     * preimage (a, b) = r (cos beta, sin beta) of x solves psi = phi(a) + beta (mod 2 pi), found by
     * scanning beta; |det d x / d(a, b)| = 4 |1 - 0.25 b e^a|.
     */
    private static double pinwheel(double x0, double x1) {
        double r = Math.hypot(x0, x1) / 2;
        double psi = Math.atan2(x1, x0);
        double sum = 0;
        int scan = 1000;
        for (int l = 0; l < 5; l++) {
            double base = 2 * Math.PI * l / 5;
            double prevBeta = -Math.PI;
            double prev = pinwheelResidual(r, psi, base, prevBeta);
            for (int i = 1; i <= scan; i++) {
                double beta = -Math.PI + 2 * Math.PI * i / scan;
                double g = pinwheelResidual(r, psi, base, beta);
                if (prev == 0 || Math.signum(prev) != Math.signum(g)) {
                    double lo = prevBeta;
                    double hi = beta;
                    double flo = prev;
                    for (int it = 0; it < 60; it++) {
                        double mid = (lo + hi) / 2;
                        double fm = pinwheelResidual(r, psi, base, mid);
                        if (Math.signum(fm) == Math.signum(flo)) {
                            lo = mid;
                            flo = fm;
                        } else {
                            hi = mid;
                        }
                    }
                    double root = (lo + hi) / 2;
                    double a = r * Math.cos(root);
                    double b = r * Math.sin(root);
                    double det = 4 * Math.abs(1 - 0.25 * b * Math.exp(a));
                    sum += normal(a, 1, 0.3) * normal(b, 0, 0.1) / det;
                }
                prevBeta = beta;
                prev = g;
            }
        }
        return sum / 5;
    }

    /** sin of half the angle mismatch: zero exactly where psi = phi(a) + beta (mod 2 pi). */
    private static double pinwheelResidual(double r, double psi, double base, double beta) {
        double g = psi - base - 0.25 * Math.exp(r * Math.cos(beta)) - beta;
        return Math.sin(g / 2);
    }

    /**
     * t = 3 pi sqrt(U) (density 2t / (3 pi)^2), centre s (-t cos t, t sin t) with s = +-1, plus
     * uniform noise on [0, 0.5)^2 (density 4).
     */
    private static double spirals(double x0, double x1) {
        int k = 60_000;
        double tMax = 3 * Math.PI;
        double dt = tMax / k;
        // |centre| = t and the noise moves a point by at most 0.5 sqrt(2): only t near |x| counts
        double radius = Math.hypot(x0, x1);
        int from = Math.max(0, (int) Math.floor((radius - 0.75) / dt));
        int to = Math.min(k, (int) Math.ceil((radius + 0.75) / dt));
        double sum = 0;
        for (int i = from; i < to; i++) {
            double t = (i + 0.5) * dt;
            double c0 = -Math.cos(t) * t;
            double c1 = Math.sin(t) * t;
            double weight = 2 * t / (tMax * tMax);
            for (int sign = -1; sign <= 1; sign += 2) {
                double u0 = x0 - sign * c0;
                double u1 = x1 - sign * c1;
                if (u0 >= 0 && u0 < 0.5 && u1 >= 0 && u1 < 0.5) {
                    sum += weight * 4 * 0.5;
                }
            }
        }
        return sum * dt;
    }
}
