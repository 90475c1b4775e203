package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.inference.ConcurrentFlowScorer;
import io.github.djlflows.core.train.DataParallelTrainer;
import java.util.Locale;

/**
 * The most two data-parallel workers can gain over one thread at a given batch: one thread's time
 * for the whole batch over its time for half of it, {@code t(B) / t(B/2)}. Two workers, each on its
 * own core doing one half, finish a step no sooner than one half-batch step, even with a free merge
 * and a perfect machine; where a half-batch step costs more than half a step (an operation's fixed
 * cost), this ceiling falls below 2. Measured in one JVM ({@link DataParallelTrainer} with
 * FusedAdam, {@link ConcurrentFlowScorer}, one intra-op thread per worker): one worker on the whole
 * batch, one worker on half of it and two workers on the whole batch alternate in windows, the best
 * window of the rounds kept. Prints one JSON line per case with the ceiling and what two workers
 * reached.
 *
 * <pre>{@code
 * OMP_NUM_THREADS=1 java -Dai.djl.offline=true -cp flows-bench/target/benchmarks.jar \
 *     io.github.djlflows.bench.HalfBatchCeiling realnvp 64 1024 8 3 1.0
 * }</pre>
 */
public final class HalfBatchCeiling {

    private HalfBatchCeiling() {}

    /**
     * Runs the measurement.
     *
     * @param args family, dim, batch (even), depth, rounds, window seconds [, cases
     *     comma-separated]
     */
    public static void main(String[] args) {
        ScalingArgs a = ScalingArgs.parse("HalfBatchCeiling", args);
        if (a.batch < 2 || a.batch % 2 != 0) {
            throw new IllegalArgumentException("batch must be even and at least 2, got " + a.batch);
        }
        int[] sizes = {a.batch, a.batch / 2};
        BenchSupport.startEngine();
        try (Model model = Model.newInstance("half-batch");
                NDManager data = model.getNDManager().newSubManager()) {
            NormalizingFlow flow = BenchModels.flow(a.family, a.dim, a.depth);
            model.setBlock(flow);
            NDArray[] x = new NDArray[2];
            for (int i = 0; i < 2; i++) {
                x[i] =
                        data.randomNormal(
                                0f,
                                1f,
                                BenchModels.inputShape(a.family, sizes[i], a.dim),
                                DataType.FLOAT32);
            }
            // [0]: one worker (B and B/2), [1]: two workers of one intra-op thread each (B)
            DataParallelTrainer[] trainers = new DataParallelTrainer[2];
            ConcurrentFlowScorer[] scorers = new ConcurrentFlowScorer[2];
            try {
                for (int w = 0; w < 2; w++) {
                    trainers[w] =
                            DataParallelTrainer.builder()
                                    .setModel(model)
                                    .optWorkers(w + 1)
                                    .optIntraOpThreads(1)
                                    .optOptimizer(BenchSupport.adam("fused"))
                                    .build();
                    trainers[w].step(x[0]); // initialises the flow, then each trainer's workers
                    scorers[w] =
                            ConcurrentFlowScorer.builder()
                                    .setModel(model)
                                    .optWorkers(w + 1)
                                    .optIntraOpThreads(1)
                                    .build();
                }
                for (String c : a.cases) {
                    // one worker on B, one worker on B/2, two workers on B
                    Runnable[] calls = {
                        call(c, trainers[0], scorers[0], data, x[0], sizes[0]),
                        call(c, trainers[0], scorers[0], data, x[1], sizes[1]),
                        call(c, trainers[1], scorers[1], data, x[0], sizes[0])
                    };
                    int[] rows = {sizes[0], sizes[1], sizes[0]};
                    double[] best = new double[3];
                    for (int round = -1; round < a.rounds; round++) { // round -1 warms up
                        for (int i = 0; i < 3; i++) {
                            double rate = DataParallelScaling.rate(calls[i], a.windowNanos)[0];
                            if (round >= 0) {
                                best[i] = Math.max(best[i], rate * rows[i]);
                            }
                        }
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "{\"family\":\"%s\",\"dim\":%d,\"batch\":%d,\"depth\":%d,\"case\":\"%s\","
                                    + "\"samples_per_s\":%.1f,\"half_batch_samples_per_s\":%.1f,"
                                    + "\"ceiling\":%.3f,\"two_workers_samples_per_s\":%.1f,"
                                    + "\"two_workers_over_one\":%.3f,\"rounds\":%d}%n",
                            a.family,
                            a.dim,
                            a.batch,
                            a.depth,
                            c,
                            best[0],
                            best[1],
                            2 * best[1] / best[0],
                            best[2],
                            best[2] / best[0],
                            a.rounds);
                }
            } finally {
                for (int w = 0; w < 2; w++) {
                    if (scorers[w] != null) {
                        scorers[w].close();
                    }
                    if (trainers[w] != null) {
                        trainers[w].close();
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Runnable call(
            String name,
            DataParallelTrainer trainer,
            ConcurrentFlowScorer scorer,
            NDManager data,
            NDArray x,
            int size) {
        switch (name) {
            case "train":
                return () -> trainer.step(x);
            case "logprob":
                return () -> scorer.logProb(x);
            case "sample":
                return () -> {
                    try (NDManager step = data.newSubManager()) {
                        scorer.sample(step, size, 1.0, 1L);
                    }
                };
            default:
                throw new IllegalArgumentException(
                        "unknown case " + name + ", expected train, logprob or sample");
        }
    }
}
