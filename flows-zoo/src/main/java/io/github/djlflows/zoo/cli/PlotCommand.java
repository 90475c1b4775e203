package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDManager;
import io.github.djlflows.zoo.plot.Plots;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flows plot}: density heat map + samples (2-D) or a sample grid (images). */
@Command(name = "plot", description = "Draw a 2-D density with samples, or a grid of image samples.")
final class PlotCommand implements Callable<Integer> {

    @Option(names = "--artifact", description = "zoo artifact, e.g. realnvp/two-moons")
    String artifact;

    @Option(names = "--model", description = "a directory written by flows train")
    Path modelDir;

    @Option(names = "--range", defaultValue = "3.5", description = "half-width of the 2-D plot")
    double range;

    @Option(names = "--out", required = true, description = "PNG file")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (LoadedFlow loaded = LoadedFlow.open(artifact, modelDir);
                NDManager manager = NDManager.newBaseManager()) {
            if (loaded.config.shape().dimension() == 1 && loaded.config.shape().size() == 2) {
                Plots.density(loaded.flow, manager, range, out);
            } else if (loaded.config.shape().dimension() == 3) {
                float[][] rows = CliArrays.rows(loaded.flow.sample(manager, 64, 0.7, 0L));
                Plots.imageGrid(rows, loaded.config.shape(), 8, 3, out);
            } else {
                throw new IllegalArgumentException(
                        "plot draws 2-D densities or images, this model has event shape "
                                + loaded.config.shape());
            }
            System.out.println("wrote " + out.toAbsolutePath());
        }
        return 0;
    }
}
