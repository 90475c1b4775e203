package io.github.djlflows.zoo.cli;

import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.FlowsModelZoo;
import io.github.djlflows.zoo.ZooArtifact;
import io.github.djlflows.zoo.train.ArtifactTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flows reproduce}: retrains an artifact from its recorded config, with as many
 * data-parallel workers as the recorded run (its metrics' {@code workers}), and compares metrics.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "reproduce",
        description = "Retrain a zoo artifact from its recorded config and print the metric.")
final class ReproduceCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "artifact, e.g. realnvp/two-moons (see flows zoo list)")
    String name;

    @Option(names = "--out", description = "output directory (default: reproduce/<artifact>)")
    Path out;

    @Option(
            names = "--threads",
            description =
                    "data-parallel workers, one core each (default: as many as the recorded run"
                            + " used, its metrics' workers)")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        ZooArtifact artifact = new FlowsModelZoo().find(name);
        FlowConfig config = artifact.config();
        FlowMetrics recorded = artifact.metrics();
        Path dir =
                out != null ? out : Path.of("reproduce", artifact.artifactId(), artifact.dataset());
        int workers = workers(threads, recorded);
        String command =
                "./flows reproduce " + name + (threads != null ? " --threads " + threads : "");
        FlowMetrics metrics =
                new ArtifactTrainer(config, dir).optWorkers(workers).optCommand(command).train();
        System.out.printf(
                "%s: held-out %s = %.4f (recorded %.4f, difference %+.4f)%nwritten to %s%n",
                name,
                metrics.metric,
                metrics.value,
                recorded.value,
                metrics.value - recorded.value,
                dir.toAbsolutePath());
        return 0;
    }

    /** The workers to train with: {@code --threads} when given, else the recorded run's. */
    static int workers(Integer threads, FlowMetrics recorded) {
        int workers = threads != null ? threads : Math.max(1, recorded.workers);
        Counts.checkThreads(workers);
        return workers;
    }
}
