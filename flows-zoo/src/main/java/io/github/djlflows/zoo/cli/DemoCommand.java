package io.github.djlflows.zoo.cli;

import ai.djl.ndarray.NDManager;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.FlowsModelZoo;
import io.github.djlflows.zoo.ZooArtifact;
import io.github.djlflows.zoo.train.ArtifactTrainer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flows demo}: trains a small RealNVP on two-moons (no download), draws its density and
 * samples, then loads the pretrained image flow from the zoo and draws a grid of its samples.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Train RealNVP on two-moons, plot it, and sample the zoo's Glow.")
final class DemoCommand implements Callable<Integer> {

    /** The image artifact the demo samples. */
    static final String IMAGE_ARTIFACT = "glow/fashion-mnist";

    @Option(
            names = "--steps",
            defaultValue = "1500",
            description = "training steps of the two-moons RealNVP")
    int steps;

    @Option(names = "--out", defaultValue = "demo-output", description = "output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        FlowConfig config = new FlowConfig();
        config.family = "realnvp";
        config.dataset = "two-moons";
        config.layers = 6;
        config.steps = steps;
        Path modelDir = out.resolve("realnvp-two-moons");
        System.out.println("Training RealNVP (6 affine couplings, 64x64 MLPs) on two-moons ...");
        FlowMetrics metrics =
                new ArtifactTrainer(config, modelDir)
                        .optCommand("./flows demo --steps " + steps)
                        .train();
        System.out.printf(
                "held-out NLL: %.4f nats (the data's entropy is about 1.12)%n", metrics.value);
        Path densityPng = out.resolve("two-moons-realnvp.png");
        try (LoadedFlow loaded = LoadedFlow.fromDirectory(modelDir);
                NDManager manager = NDManager.newBaseManager()) {
            double[][] data =
                    ModelPictures.toDoubles(
                            CliArrays.rows(
                                    io.github.djlflows.core.data.ToyDensity.TWO_MOONS.sample(
                                            manager, 2000, 3L)));
            ModelPictures.draw(loaded, manager, data, null, null, 0, 1.0, 7L, false, densityPng);
        }
        System.out.println("density and samples: " + densityPng.toAbsolutePath());

        FlowsModelZoo zoo = new FlowsModelZoo();
        boolean hasImageModel =
                zoo.getArtifacts().stream().anyMatch(a -> a.name().equals(IMAGE_ARTIFACT));
        if (!hasImageModel) {
            System.out.println(
                    "the zoo ships no " + IMAGE_ARTIFACT + " artifact yet; skipping image samples");
            return 0;
        }
        ZooArtifact glow = zoo.find(IMAGE_ARTIFACT);
        Path gridPng = out.resolve("fashion-mnist-glow.png");
        try (LoadedFlow loaded = LoadedFlow.fromZoo(glow.name());
                NDManager manager = NDManager.newBaseManager()) {
            ModelPictures.draw(loaded, manager, null, null, null, 64, 0.7, 1L, false, gridPng);
        }
        FlowMetrics glowMetrics = glow.metrics();
        String heldOut =
                glowMetrics.uniformBound == null
                        ? String.format(Locale.ROOT, "held-out %.3f bits/dim", glowMetrics.value)
                        : String.format(
                                Locale.ROOT,
                                "held-out %.3f bits/dim at bin centres, %.3f as the"
                                        + " uniform-dequantization bound",
                                glowMetrics.value,
                                glowMetrics.uniformBound);
        System.out.printf("Glow samples (T = 0.7; %s): %s%n", heldOut, gridPng.toAbsolutePath());
        return 0;
    }
}
