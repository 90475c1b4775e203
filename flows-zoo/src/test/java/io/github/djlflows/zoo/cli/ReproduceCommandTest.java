package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.FlowsModelZoo;
import io.github.djlflows.zoo.ModelDirectory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flows reproduce} retrains an artifact as recorded and lands on its recorded metric. */
class ReproduceCommandTest {

    @Test
    void aTwoDimensionalArtifactReproducesItsRecord(@TempDir Path tmp) throws Exception {
        String name = "realnvp/two-moons";
        Path out = tmp.resolve("repro");
        assertEquals(0, FlowsCli.run("reproduce", name, "--out", out.toString()));
        FlowMetrics again;
        try (InputStream in = Files.newInputStream(out.resolve(ModelDirectory.METRICS))) {
            again = FlowMetrics.read(in, "reproduced metrics");
        }
        FlowMetrics recorded = new FlowsModelZoo().find(name).metrics();
        assertEquals(recorded.metric, again.metric);
        assertEquals(recorded.steps, again.steps);
        assertEquals(recorded.value, again.value, 0.02, name + " reproduced");
        assertEquals("./flows reproduce " + name, again.command);
    }

    @Test
    void theRecordedWorkersAreTheDefault() {
        FlowMetrics twoWorkers = new FlowMetrics();
        twoWorkers.workers = 2;
        assertEquals(2, ReproduceCommand.workers(null, twoWorkers));
        assertEquals(1, ReproduceCommand.workers(1, twoWorkers));
        assertEquals(1, ReproduceCommand.workers(null, new FlowMetrics()), "older records: 0");
        assertThrows(IllegalArgumentException.class, () -> ReproduceCommand.workers(0, twoWorkers));
    }
}
