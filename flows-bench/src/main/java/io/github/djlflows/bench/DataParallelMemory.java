package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.train.DataParallelTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Memory over a long data-parallel run: {@code steps} steps of {@link DataParallelTrainer}, each on
 * a fresh batch in its own sub-manager, with the process's resident set size ({@code VmRSS} from
 * {@code /proc/self/status}) sampled 20 times; prints the samples, the model's live array count at
 * start and end, and the largest deviation of RSS after the first 10% of steps from their mean.
 * Linux only.
 *
 * <pre>{@code
 * java -Dai.djl.offline=true -cp flows-bench/target/benchmarks.jar \
 *     io.github.djlflows.bench.DataParallelMemory realnvp 2 256 10000 2
 * }</pre>
 */
public final class DataParallelMemory {

    private static final int SAMPLES = 20;

    private DataParallelMemory() {}

    /**
     * Runs the check.
     *
     * @param args family, dim, batch, steps, workers
     * @throws IOException when {@code /proc/self/status} cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: DataParallelMemory <family> <dim> <batch> <steps> <workers>, got "
                            + args.length
                            + " arguments");
        }
        String family = args[0];
        int dim = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        int workers = Integer.parseInt(args[4]);
        BenchSupport.startEngine();
        Shape shape = BenchModels.inputShape(family, batch, dim);
        try (Model model = Model.newInstance("memory")) {
            model.setBlock(BenchModels.flow(family, dim, 8));
            NDManager data = model.getNDManager().newSubManager();
            List<long[]> rss = new ArrayList<>();
            long t0 = System.nanoTime();
            int liveStart = -1;
            try (DataParallelTrainer trainer =
                    DataParallelTrainer.builder()
                            .setModel(model)
                            .optWorkers(workers)
                            .optOptimizer(BenchSupport.adam("fused"))
                            .build()) {
                for (int s = 1; s <= steps; s++) {
                    try (NDManager step = data.newSubManager()) {
                        NDArray x = step.randomNormal(0f, 1f, shape, DataType.FLOAT32);
                        trainer.step(x);
                    }
                    if (s == 1) {
                        liveStart = model.getNDManager().getManagedArrays().size();
                    }
                    if (s % Math.max(1, steps / SAMPLES) == 0) {
                        rss.add(new long[] {s, residentKb()});
                        System.out.printf(
                                Locale.ROOT,
                                "step %d  rss %d kB  %.1f s%n",
                                s,
                                rss.get(rss.size() - 1)[1],
                                (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
            int liveEnd = model.getNDManager().getManagedArrays().size();
            double mean = 0;
            int n = 0;
            for (long[] r : rss) {
                if (r[0] > steps / 10) {
                    mean += r[1];
                    n++;
                }
            }
            mean /= n;
            double worst = 0;
            for (long[] r : rss) {
                if (r[0] > steps / 10) {
                    worst = Math.max(worst, Math.abs(r[1] - mean) / mean);
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s d=%d b=%d, %d workers, %d steps: RSS after warm-up mean %.0f kB, largest deviation"
                            + " %.2f%%; live arrays under the model after step 1: %d, at the end: %d%n",
                    family,
                    dim,
                    batch,
                    workers,
                    steps,
                    mean,
                    100 * worst,
                    liveStart,
                    liveEnd);
        }
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }
}
