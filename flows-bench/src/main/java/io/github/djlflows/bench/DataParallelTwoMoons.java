package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.train.DataParallelTrainer;
import io.github.djlflows.core.train.FusedAdam;
import java.util.Locale;
import java.util.Random;

/**
 * Held-out NLL of a RealNVP trained on two-moons with 1 and with 2 data-parallel workers from the
 * same seed, on the same batches, for the same number of steps (20 000 training and 10 000 held-out
 * points, batch 256, Adam at 2e-3, six couplings of 64-64 MLPs). Prints both NLLs, their difference
 * and each run's wall time.
 *
 * <pre>{@code
 * java -Dai.djl.offline=true -cp flows-bench/target/benchmarks.jar \
 *     io.github.djlflows.bench.DataParallelTwoMoons 2000
 * }</pre>
 */
public final class DataParallelTwoMoons {

    private static final int BATCH = 256;

    private DataParallelTwoMoons() {}

    /**
     * Runs both trainings.
     *
     * @param args the number of steps (default 2000)
     */
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        BenchSupport.startEngine();
        double[] nll = new double[2];
        for (int workers = 1; workers <= 2; workers++) {
            long t0 = System.nanoTime();
            nll[workers - 1] = train(workers, steps);
            System.out.printf(
                    Locale.ROOT,
                    "%d worker(s), %d steps: held-out NLL %.4f nats, %.1f s%n",
                    workers,
                    steps,
                    nll[workers - 1],
                    (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(
                Locale.ROOT, "difference (2 workers - 1 worker): %+.4f nats%n", nll[1] - nll[0]);
    }

    private static double train(int workers, int steps) {
        Engine.getInstance().setRandomSeed(42);
        try (Model model = Model.newInstance("two-moons");
                NDManager manager = NDManager.newBaseManager()) {
            NDArray train = ToyDensity.TWO_MOONS.sample(manager, 20_000, 1);
            NDArray heldOut = ToyDensity.TWO_MOONS.sample(manager, 10_000, 2);
            NormalizingFlow flow =
                    NormalizingFlow.builder()
                            .setFlow(
                                    RealNvp.builder()
                                            .setDimension(2)
                                            .optCouplings(6)
                                            .optHiddenSizes(64, 64)
                                            .build())
                            .setBase(new StandardNormal(new Shape(2)))
                            .build();
            model.setBlock(flow);
            Random order = new Random(7);
            int batches = 20_000 / BATCH;
            int[] perm = new int[batches];
            try (DataParallelTrainer trainer =
                    DataParallelTrainer.builder()
                            .setModel(model)
                            .optWorkers(workers)
                            .optOptimizer(
                                    FusedAdam.builder()
                                            .optLearningRateTracker(Tracker.fixed(2e-3f))
                                            .build())
                            .build()) {
                for (int s = 0; s < steps; s++) {
                    if (s % batches == 0) {
                        for (int i = 0; i < batches; i++) {
                            int j = order.nextInt(i + 1);
                            perm[i] = perm[j];
                            perm[j] = i;
                        }
                    }
                    int from = perm[s % batches] * BATCH;
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x = train.get(from + ":" + (from + BATCH));
                        x.attach(step);
                        trainer.step(x);
                    }
                }
            }
            return -flow.logProb(heldOut).mean().getFloat();
        }
    }
}
