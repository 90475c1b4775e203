package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.ZooArtifact;
import org.junit.jupiter.api.Test;

/** A picture's title names which held-out figure it shows: a bound, bin centres, or nats. */
class ModelTitleTest {

    @Test
    void anImageModelLeadsWithItsUniformBound() throws Exception {
        ZooArtifact glow = new ZooArtifact("glow", "fashion-mnist");
        FlowMetrics m = glow.metrics();
        assertEquals(
                String.format(
                        java.util.Locale.ROOT,
                        "glow on fashion-mnist, held-out %.4f bits/dim (uniform bound)",
                        m.uniformBound),
                LoadedFlow.describe(glow.config(), m));
        m.uniformBound = null;
        assertEquals(
                String.format(
                        java.util.Locale.ROOT,
                        "glow on fashion-mnist, held-out %.4f bits/dim at bin centres",
                        m.value),
                LoadedFlow.describe(glow.config(), m));
    }

    @Test
    void aVariationalModelsFigureIsABound() throws Exception {
        ZooArtifact maf = new ZooArtifact("maf", "digits");
        FlowConfig config = maf.config();
        FlowMetrics m = maf.metrics();
        assertEquals(
                String.format(
                        java.util.Locale.ROOT,
                        "maf on digits, held-out %.4f bits/dim (bound)",
                        m.value),
                LoadedFlow.describe(config, m));
    }

    @Test
    void aDensityModelShowsNats() throws Exception {
        ZooArtifact moons = new ZooArtifact("nsf", "two-moons");
        FlowMetrics m = moons.metrics();
        assertEquals(
                String.format(
                        java.util.Locale.ROOT, "nsf on two-moons, held-out NLL %.4f nats", m.value),
                LoadedFlow.describe(moons.config(), m));
        assertEquals("nsf on two-moons", LoadedFlow.describe(moons.config(), null));
    }
}
