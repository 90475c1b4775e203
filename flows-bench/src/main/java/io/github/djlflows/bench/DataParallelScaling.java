package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.inference.ConcurrentFlowScorer;
import io.github.djlflows.core.train.DataParallelTrainer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whole-machine throughput of one flow at three settings, measured in one JVM with the settings
 * alternating in short windows (so all see the same machine state) and the best window of the
 * rounds kept: {@code 1t} (one worker thread, one intra-op thread), {@code 2i} (one worker, two
 * intra-op threads), {@code 2w} (two workers of one intra-op thread each). Training goes through
 * {@link DataParallelTrainer} (FusedAdam), {@code logProb} and {@code sample} through {@link
 * ConcurrentFlowScorer}. Prints one JSON line per (case, setting) with samples per wall-clock
 * second and per process CPU-second (the best window of each), then a summary with the 2w / 1t
 * ratios. On a loaded machine the wall-clock figure measures the load as much as the code; the
 * CPU-second figure does not, and twice its 2w / 1t ratio bounds the speed-up on two idle cores.
 *
 * <pre>{@code
 * java -Dai.djl.offline=true -cp flows-bench/target/benchmarks.jar \
 *     io.github.djlflows.bench.DataParallelScaling realnvp 64 256 8 5 1.0
 * }</pre>
 */
public final class DataParallelScaling {

    private static final String[] SETTINGS = {"1t", "2i", "2w"};
    private static final String[] CASES = ScalingArgs.CASES.toArray(new String[0]);

    private DataParallelScaling() {}

    /**
     * Runs the measurement.
     *
     * @param args family, dim, batch, depth, rounds, window seconds [, cases comma-separated]
     */
    public static void main(String[] args) {
        ScalingArgs a = ScalingArgs.parse("DataParallelScaling", args);
        BenchSupport.startEngine();
        Shape shape = BenchModels.inputShape(a.family, a.batch, a.dim);
        try (Model model = Model.newInstance("scaling")) {
            NormalizingFlow flow = BenchModels.flow(a.family, a.dim, a.depth);
            model.setBlock(flow);
            NDManager data = model.getNDManager().newSubManager();
            NDArray x = data.randomNormal(0f, 1f, shape, DataType.FLOAT32);
            List<Runnable[]> runs = new ArrayList<>();
            List<AutoCloseable> open = new ArrayList<>();
            for (String setting : SETTINGS) {
                int workers = "2w".equals(setting) ? 2 : 1;
                int intraOp = "2i".equals(setting) ? 2 : 1;
                DataParallelTrainer trainer =
                        DataParallelTrainer.builder()
                                .setModel(model)
                                .optWorkers(workers)
                                .optIntraOpThreads(intraOp)
                                .optOptimizer(BenchSupport.adam("fused"))
                                .build();
                open.add(trainer);
                trainer.step(x); // initialises the flow on the first setting
                ConcurrentFlowScorer scorer =
                        ConcurrentFlowScorer.builder()
                                .setModel(model)
                                .optWorkers(workers)
                                .optIntraOpThreads(intraOp)
                                .build();
                open.add(scorer);
                runs.add(
                        new Runnable[] {
                            () -> trainer.step(x),
                            () -> scorer.logProb(x),
                            () -> {
                                try (NDManager step = data.newSubManager()) {
                                    scorer.sample(step, a.batch, 1.0, 1L);
                                }
                            }
                        });
            }
            double[][] best = new double[SETTINGS.length][CASES.length];
            double[][] perCpu = new double[SETTINGS.length][CASES.length];
            for (int round = -1; round < a.rounds; round++) { // round -1 warms up
                for (int c = 0; c < CASES.length; c++) {
                    if (!a.cases.contains(CASES[c])) {
                        continue;
                    }
                    for (int s = 0; s < SETTINGS.length; s++) {
                        double[] rate = rate(runs.get(s)[c], a.windowNanos);
                        if (round >= 0) {
                            best[s][c] = Math.max(best[s][c], rate[0] * a.batch);
                            perCpu[s][c] = Math.max(perCpu[s][c], rate[1] * a.batch);
                        }
                    }
                }
            }
            for (int c = 0; c < CASES.length; c++) {
                if (!a.cases.contains(CASES[c])) {
                    continue;
                }
                for (int s = 0; s < SETTINGS.length; s++) {
                    System.out.printf(
                            Locale.ROOT,
                            "{\"family\":\"%s\",\"dim\":%d,\"batch\":%d,\"depth\":%d,\"case\":\"%s\","
                                    + "\"setting\":\"%s\",\"samples_per_s\":%.1f,\"samples_per_cpu_s\":%.1f,\"rounds\":%d}%n",
                            a.family,
                            a.dim,
                            a.batch,
                            a.depth,
                            CASES[c],
                            SETTINGS[s],
                            best[s][c],
                            perCpu[s][c],
                            a.rounds);
                }
                System.out.printf(
                        Locale.ROOT,
                        "# %s %s d=%d b=%d: 1t %.0f, 2i %.0f, 2w %.0f samples/s; 2w/1t %.2fx, 2i/1t %.2fx%n",
                        a.family,
                        CASES[c],
                        a.dim,
                        a.batch,
                        best[0][c],
                        best[1][c],
                        best[2][c],
                        best[2][c] / best[0][c],
                        best[1][c] / best[0][c]);
                System.out.printf(
                        Locale.ROOT,
                        "#   per process CPU-second: 1t %.0f, 2i %.0f, 2w %.0f samples; 2w/1t %.2f"
                                + " (2 x this bounds 2w/1t on two idle cores)%n",
                        perCpu[0][c],
                        perCpu[1][c],
                        perCpu[2][c],
                        perCpu[2][c] / perCpu[0][c]);
            }
            for (AutoCloseable c : open) {
                c.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls per wall-clock second and per process CPU-second over one a.windowNanos. */
    static double[] rate(Runnable call, long windowNanos) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        int count = 0;
        while (System.nanoTime() - start < windowNanos) {
            call.run();
            count++;
        }
        long wall = System.nanoTime() - start;
        long used = Math.max(1, os.getProcessCpuTime() - cpu);
        return new double[] {count * 1e9 / wall, count * 1e9 / used};
    }
}
