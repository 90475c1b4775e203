package io.github.djlflows.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.data.ToyDensity;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The NLL floors of the zoo's 2-D held-out sets under the true densities: each true density
 * integrates to 1, the closed-form floors match ln 6 (checkerboard) and -0.386 (eight Gaussians),
 * and every shipped 2-D artifact's gap to its floor is printed.
 */
class TrueDensitiesTest {

    private static double gridMass(ToyDensity density) {
        int n = 160;
        double lo = -4.5;
        double step = 9.0 / n;
        double mass = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                mass +=
                        Math.exp(
                                TrueDensities.logDensity(
                                        density, lo + (i + 0.5) * step, lo + (j + 0.5) * step));
            }
        }
        return mass * step * step;
    }

    @Test
    void trueDensitiesIntegrateToOne() {
        for (ToyDensity density : ToyDensity.values()) {
            double mass = gridMass(density);
            System.out.printf("%s: true density mass on the grid %.4f%n", density.cliName(), mass);
            assertEquals(1.0, mass, 0.02, density.cliName() + " mass");
        }
    }

    @Test
    void floorsOfTheZooHeldOutSets() throws Exception {
        List<String[]> artifacts = ZooArtifactsTest.artifacts();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (ToyDensity density : ToyDensity.values()) {
                FlowConfig config = null;
                for (String[] a : artifacts) {
                    if (a[1].equals(density.cliName())) {
                        config = new ZooArtifact(a[0], a[1]).config();
                        break;
                    }
                }
                if (config == null) {
                    continue;
                }
                double floor =
                        TrueDensities.nll(
                                density, FlowData.heldOut(config, manager).toFloatArray());
                System.out.printf(
                        "%s floor on the zoo's %d held-out points: %.4f nats%n",
                        density.cliName(), config.heldOutSize, floor);
                if (density == ToyDensity.CHECKERBOARD) {
                    assertEquals(Math.log(6), floor, 0.01, "checkerboard floor");
                }
                if (density == ToyDensity.EIGHT_GAUSSIANS) {
                    assertEquals(-0.386, floor, 0.01, "eight-gaussians floor");
                }
                assertTrue(Double.isFinite(floor), density + " floor " + floor);
                for (String[] a : artifacts) {
                    if (a[1].equals(density.cliName())) {
                        double value = new ZooArtifact(a[0], a[1]).metrics().value;
                        System.out.printf(
                                "  %s/%s: %.4f, %+.4f above the floor%n",
                                a[0], a[1], value, value - floor);
                        assertTrue(
                                value > floor - 0.02,
                                a[0] + "/" + a[1] + " below the true density's NLL");
                    }
                }
            }
        }
    }
}
