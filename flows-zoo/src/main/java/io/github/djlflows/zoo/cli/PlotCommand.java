package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDManager;
import io.github.djlflows.zoo.csv.CsvTable;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flows plot}: a 1-D density curve or a 2-D density with data and samples, a corner plot, or
 * an image grid.
 */
@Command(
        name = "plot",
        mixinStandardHelpOptions = true,
        description = {
            "Draw a model: 1-D density curve over histograms of data and samples;"
                    + " 2-D density heat map (axes in data units, colour bar) beside data and samples;"
                    + " a corner plot of data against samples for more columns; a grid of image (and digit) samples."
        })
final class PlotCommand implements Callable<Integer> {

    @Option(names = "--artifact", description = "zoo artifact, e.g. realnvp/two-moons")
    String artifact;

    @Option(names = "--model", description = "a directory written by flows train")
    Path modelDir;

    @Option(
            names = "--data",
            description = "CSV of data rows to draw beside the samples (vector models)")
    Path data;

    @Mixin CsvOptions csv = new CsvOptions();

    @Option(
            names = "--range",
            description = "half-width of a 1-D or 2-D plot; default: fitted to the data or samples")
    Double range;

    @Option(
            names = {"-n", "--count"},
            defaultValue = "64",
            description = "image samples in a grid (default 64)")
    long count;

    @Option(
            names = "--temperature",
            description = "sampling temperature (default 0.7 for images, 1 for vectors)")
    Double temperature;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed")
    long seed;

    @Option(
            names = "--log-scale",
            description =
                    "2-D density: colour by log-density (the 12 nats below the peak) instead of density")
    boolean logScale;

    @Option(names = "--out", required = true, description = "PNG file")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (temperature != null) {
            Counts.checkTemperature(temperature);
        }
        if (range != null && !(range > 0 && Double.isFinite(range))) {
            throw new IllegalArgumentException(
                    "--range must be a finite positive number, got " + range);
        }
        if (data != null) {
            Outputs.checkNotInput(out, data, "--data");
        }
        try (LoadedFlow loaded = LoadedFlow.open(artifact, modelDir);
                NDManager manager = NDManager.newBaseManager()) {
            Counts.checkSampleCount("-n", count, loaded.config.shape());
            boolean image = loaded.config.shape().dimension() == 3;
            double t = temperature != null ? temperature : image ? 0.7 : 1.0;
            double[][] rows = null;
            if (data != null) {
                CsvTable table = loaded.readRows(csv, data);
                rows = new double[table.size()][];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = table.row(i);
                }
            }
            ModelPictures.draw(
                    loaded, manager, rows, null, range, (int) count, t, seed, logScale, out);
            System.out.println("wrote " + out.toAbsolutePath());
        }
        return 0;
    }
}
