package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.ZooArtifact;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A picture's title names which held-out figure it shows: a bound, bin centres, or nats. */
class ModelTitleTest {

    @Test
    void anImageModelLeadsWithItsUniformBound() throws Exception {
        ZooArtifact glow = new ZooArtifact("glow", "fashion-mnist");
        FlowMetrics m = glow.metrics();
        assertTitle(
                glow,
                m,
                "glow on fashion-mnist, held-out %.4f bits/dim (uniform bound)",
                m.uniformBound);
        m.uniformBound = null;
        assertTitle(
                glow, m, "glow on fashion-mnist, held-out %.4f bits/dim at bin centres", m.value);
    }

    @Test
    void aVariationalModelsFigureIsABound() throws Exception {
        ZooArtifact maf = new ZooArtifact("maf", "digits");
        FlowMetrics m = maf.metrics();
        assertTitle(maf, m, "maf on digits, held-out %.4f bits/dim (bound)", m.value);
    }

    @Test
    void aDensityModelShowsNats() throws Exception {
        ZooArtifact moons = new ZooArtifact("nsf", "two-moons");
        FlowMetrics m = moons.metrics();
        assertTitle(moons, m, "nsf on two-moons, held-out NLL %.4f nats", m.value);
        assertEquals("nsf on two-moons", LoadedFlow.describe(moons.config(), null));
    }

    private static void assertTitle(ZooArtifact a, FlowMetrics m, String format, double value)
            throws Exception {
        assertEquals(String.format(Locale.ROOT, format, value), LoadedFlow.describe(a.config(), m));
    }
}
