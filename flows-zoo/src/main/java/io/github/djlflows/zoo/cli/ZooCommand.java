package io.github.djlflows.zoo.cli;

import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.FlowsModelZoo;
import io.github.djlflows.zoo.ZooArtifact;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code flows zoo list}: the shipped artifacts with their held-out metrics. The value column of an
 * image model is a bound on its bits per dimension wherever one is recorded (the uniform- or the
 * variational-dequantization bound), so the rows of a dataset compare like with like; the
 * bin-centre figure, which is no bound, follows in the row's note.
 */
@Command(
        mixinStandardHelpOptions = true,
        name = "zoo",
        description = "The model zoo.",
        subcommands = ZooCommand.ListCommand.class)
final class ZooCommand implements Runnable {

    @Override
    public void run() {
        new ListCommand().call();
    }

    /** Lists the artifacts. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the shipped artifacts and their held-out metrics, by dataset.")
    static final class ListCommand implements Callable<Integer> {

        @Override
        public Integer call() {
            FlowsModelZoo zoo = new FlowsModelZoo();
            System.out.printf("%-28s %-14s %10s  %s%n", "artifact", "metric", "value", "trained");
            java.util.List<ZooArtifact> sorted = new java.util.ArrayList<>(zoo.getArtifacts());
            sorted.sort( // grouped by dataset, so a dataset's models stand together
                    java.util.Comparator.comparing(ZooArtifact::dataset)
                            .thenComparing(ZooArtifact::artifactId));
            for (ZooArtifact a : sorted) {
                try {
                    FlowMetrics m = a.metrics();
                    System.out.printf(
                            "%-28s %-14s %10.4f  %d steps, %.0f s%s%n",
                            a.name(), m.metric, listedValue(m), m.steps, m.wallSeconds, kind(m));
                } catch (java.io.IOException e) {
                    System.out.printf("%-28s unreadable metrics: %s%n", a.name(), e.getMessage());
                }
            }
            return 0;
        }

        /** The listed figure: the uniform-dequantization bound where recorded, else the value. */
        static double listedValue(FlowMetrics m) {
            return m.uniformBound != null ? m.uniformBound : m.value;
        }

        /** What the figure is, where it is not a plain mean over the held-out points. */
        static String kind(FlowMetrics m) {
            if (m.uniformBound != null) {
                return String.format(
                        java.util.Locale.ROOT,
                        "; the uniform-dequantization bound (%.4f at bin centres, no bound)",
                        m.value);
            }
            if (m.evaluation != null && m.evaluation.startsWith("an upper bound")) {
                return "; an upper bound (variational dequantization, one draw of q)";
            }
            if (m.heldOut != null && m.heldOut.contains("bin centres")) {
                return "; at bin centres (no bound recorded)";
            }
            return "";
        }
    }
}
