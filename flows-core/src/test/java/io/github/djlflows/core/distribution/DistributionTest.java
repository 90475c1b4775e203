package io.github.djlflows.core.distribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.Distribution;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Base distributions: seeded sampling, normalisation and log-densities against closed forms. */
class DistributionTest {

    private static List<Distribution> all() {
        return List.of(
                new StandardNormal(new Shape(2)),
                new DiagonalNormal(new Shape(2)),
                new StandardLogistic(new Shape(2)),
                new Uniform(new Shape(2), -1, 3),
                new GaussianMixture(new Shape(2), 3));
    }

    @Test
    void sameSeedSameSamplesDifferentSeedDifferentSamples() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            for (Distribution d : all()) {
                d.initialize(m, DataType.FLOAT32, new Shape(1, 2));
                float[] a = d.sample(ps, m, 100, DataType.FLOAT32, 11L).toFloatArray();
                float[] b = d.sample(ps, m, 100, DataType.FLOAT32, 11L).toFloatArray();
                float[] c = d.sample(ps, m, 100, DataType.FLOAT32, 12L).toFloatArray();
                assertArrayEquals(a, b, d.getClass().getSimpleName());
                assertFalse(Arrays.equals(a, c), d.getClass().getSimpleName());
                // every bit of the seed counts (java.util.Random keeps 48: 0 and 1L << 48 collide)
                for (long other : new long[] {1L << 48, Long.MIN_VALUE}) {
                    assertFalse(
                            Arrays.equals(
                                    d.sample(ps, m, 100, DataType.FLOAT32, 0L).toFloatArray(),
                                    d.sample(ps, m, 100, DataType.FLOAT32, other).toFloatArray()),
                            d.getClass().getSimpleName() + ": seeds 0 and " + other);
                }
            }
        }
    }

    @Test
    void densitiesIntegrateToOneOnAGrid() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            int n = 300;
            double lo = -15;
            double hi = 15;
            double step = (hi - lo) / n;
            double[] grid = new double[2 * n * n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    grid[k++] = lo + (i + 0.5) * step;
                    grid[k++] = lo + (j + 0.5) * step;
                }
            }
            NDArray points = m.create(grid, new Shape((long) n * n, 2));
            for (Distribution d : all()) {
                if (d instanceof Uniform) {
                    continue;
                }
                d.initialize(m, DataType.FLOAT64, new Shape(1, 2));
                double mass = d.logProb(ps, points, false).exp().sum().getDouble() * step * step;
                assertEquals(1.0, mass, 2e-3, d.getClass().getSimpleName());
            }
        }
    }

    @Test
    void logProbsMatchClosedForms() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray z = m.create(new double[] {0.3, -1.2}, new Shape(1, 2));
            Distribution normal = new StandardNormal(new Shape(2));
            double expectedNormal = -0.5 * (0.09 + 1.44) - Math.log(2 * Math.PI);
            assertEquals(expectedNormal, normal.logProb(ps, z, false).getDouble(), 1e-12);
            Distribution logistic = new StandardLogistic(new Shape(2));
            double expectedLogistic = 0;
            for (double v : new double[] {0.3, -1.2}) {
                expectedLogistic += -v - 2 * Math.log(1 + Math.exp(-v));
            }
            assertEquals(expectedLogistic, logistic.logProb(ps, z, false).getDouble(), 1e-12);
            Distribution uniform = new Uniform(new Shape(2), -2, 2);
            assertEquals(-2 * Math.log(4), uniform.logProb(ps, z, false).getDouble(), 1e-12);
        }
    }

    @Test
    void aMixtureMatchesItsClosedFormAndSamplesItsWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            GaussianMixture mixture = new GaussianMixture(new Shape(2), 2);
            mixture.initialize(m, DataType.FLOAT64, new Shape(1, 2));
            // weights (0.25, 0.75), means (-3, 0) and (2, 1), scales (1, 1) and (0.5, 2)
            mixture.getParameters().get("logits").getArray().set(new double[] {0, Math.log(3)});
            mixture.getParameters().get("means").getArray().set(new double[] {-3, 0, 2, 1});
            mixture.getParameters()
                    .get("logScales")
                    .getArray()
                    .set(new double[] {0, 0, Math.log(0.5), Math.log(2)});
            double[] z = {0.5, -0.7};
            double a = 0.25 * Math.exp(-0.5 * (3.5 * 3.5 + 0.49)) / (2 * Math.PI);
            double b =
                    0.75
                            * Math.exp(-0.5 * (Math.pow(1.5 / 0.5, 2) + Math.pow(1.7 / 2, 2)))
                            / (2 * Math.PI * 0.5 * 2);
            NDArray point = m.create(z, new Shape(1, 2));
            assertEquals(Math.log(a + b), mixture.logProb(ps, point, false).getDouble(), 1e-12);
            NDArray x = mixture.sample(ps, m, 40_000, DataType.FLOAT64, 5L);
            // E[x0] = 0.25 (-3) + 0.75 (2) = 0.75; the share of draws right of -0.5 is about 0.75
            assertEquals(0.75, x.get(":, 0").mean().getDouble(), 0.03);
            double right =
                    x.get(":, 0").gt(-0.5).toType(DataType.FLOAT64, false).mean().getDouble();
            assertEquals(0.75, right, 0.01);
            double sd1 = x.get(":, 1").sub(0.75).square().mean().sqrt().getDouble();
            // Var[x1] = 0.25 (1 + 0.75^2) + 0.75 (4 + 0.25^2) = 3.4375
            assertEquals(Math.sqrt(3.4375), sd1, 0.05);
        }
    }
}
