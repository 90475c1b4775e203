package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.ZooArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zoo artifact flags anomalies against the quantiles of its held-out rows' log-densities: a level
 * q flags about the fraction q of those very rows, and a far point.
 */
class ZooAnomaliesTest {

    @Test
    void aZooArtifactFlagsAgainstItsHeldOutQuantiles(@TempDir Path dir) throws Exception {
        float[] heldOut;
        try (NDManager manager = NDManager.newBaseManager()) {
            heldOut =
                    FlowData.heldOut(new ZooArtifact("maf", "two-moons").config(), manager)
                            .toFloatArray();
        }
        StringBuilder csv = new StringBuilder("x0,x1\n");
        for (int i = 0; i < heldOut.length; i += 2) {
            csv.append(String.format(Locale.ROOT, "%.9g,%.9g%n", heldOut[i], heldOut[i + 1]));
        }
        csv.append("5,5\n");
        Path input = dir.resolve("rows.csv");
        Path out = dir.resolve("flags.csv");
        Files.writeString(input, csv);
        assertEquals(
                0,
                FlowsCli.run(
                        "score",
                        "--artifact",
                        "maf/two-moons",
                        "--input",
                        input.toString(),
                        "--flag-below",
                        "0.1",
                        "--out",
                        out.toString()));
        List<String> lines = Files.readAllLines(out);
        int rows = heldOut.length / 2;
        assertEquals(rows + 2, lines.size());
        long flagged = lines.subList(1, rows + 1).stream().filter(l -> l.endsWith(",true")).count();
        // the 0.1 quantile of these rows' own log-densities: a tenth of them lie below it
        assertTrue(Math.abs(flagged - rows / 10) <= 2, flagged + " of " + rows + " flagged");
        assertTrue(lines.get(rows + 1).endsWith(",true"), "the far point: " + lines.get(rows + 1));
    }
}
