package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one rule both {@code flows score --flag-below} and flows-spark flag against: stored training
 * quantiles first, else a built-in dataset's held-out rows', else none.
 */
class LogDensityQuantilesTest {

    @TempDir Path dir;

    @Test
    void storedQuantilesComeFirstThenTheHeldOutRowsThenNone() throws Exception {
        FlowConfig config = FlowConfig.forDataset("two-moons");
        config.heldOutSize = 500;
        NormalizingFlow flow = FlowFactory.build(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            flow.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            LogDensityQuantiles heldOut = LogDensityQuantiles.storedOrHeldOut(dir, flow, config);
            assertTrue(heldOut.isHeldOut(), "no file in the directory: the held-out rows'");
            assertArrayEquals(
                    LogDensityQuantiles.ofHeldOut(flow, config).logDensity, heldOut.logDensity);
            assertTrue(heldOut.rows == 500, "rows " + heldOut.rows);

            LogDensityQuantiles.of(new float[] {-3, -2, -1}).write(dir);
            assertFalse(
                    Files.readString(dir.resolve(LogDensityQuantiles.FILE)).contains("heldOut"));
            LogDensityQuantiles stored = LogDensityQuantiles.storedOrHeldOut(dir, flow, config);
            assertFalse(stored.isHeldOut());
            assertTrue(stored.rows == 3 && stored.threshold(0.5) == -2, "the stored file's");

            FlowConfig table = FlowConfig.forDataset("two-moons");
            table.input = "table.csv";
            assertNull(LogDensityQuantiles.storedOrHeldOut(null, flow, table));
            assertNull(LogDensityQuantiles.storedOrHeldOut(null, flow, null));
        }
    }
}
