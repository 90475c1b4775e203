package io.github.djlflows.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The flow's overhead over its bare conditioner networks, measured in one JVM: {@link
 * FlowBenchmark#trainStep} and {@link ConditionerLimitBenchmark#trainStep} alternate in windows of
 * 1.5 seconds, so both sides see the same machine state, which separate JMH forks on a shared
 * machine do not. Prints the best and median steps/s of each side, best/best and the median of the
 * per-round ratios (limit / flow).
 *
 * <pre>{@code
 * OMP_NUM_THREADS=1 java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
 *     -cp flows-bench/target/benchmarks.jar io.github.djlflows.bench.SameJvmOverhead realnvp 64 1024 12
 * }</pre>
 */
public final class SameJvmOverhead {

    private static final long WINDOW_NANOS = 1_500_000_000L;
    private static final int WARMUP_ROUNDS = 3;

    private SameJvmOverhead() {}

    /**
     * Runs the comparison.
     *
     * @param args family, dim, batch, rounds (e.g. {@code realnvp 64 1024 12})
     */
    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "usage: SameJvmOverhead <family> <dim> <batch> <rounds>, got "
                            + args.length
                            + " arguments");
        }
        int rounds = Integer.parseInt(args[3]);
        FlowBenchmark flow = new FlowBenchmark();
        ConditionerLimitBenchmark limit = new ConditionerLimitBenchmark();
        for (TrainerBenchmark side : new TrainerBenchmark[] {flow, limit}) {
            side.family = args[0];
            side.dim = Integer.parseInt(args[1]);
            side.batch = Integer.parseInt(args[2]);
            side.depth = 8;
            side.optimizer = "fused";
            side.setUp();
        }
        Runnable[] steps = {flow::trainStep, limit::trainStep};
        List<Double> flowRates = new ArrayList<>();
        List<Double> limitRates = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
            double flowRate = rate(steps[0]);
            double limitRate = rate(steps[1]);
            if (round >= 0) {
                flowRates.add(flowRate);
                limitRates.add(limitRate);
                ratios.add(limitRate / flowRate);
            }
        }
        flow.tearDown();
        limit.tearDown();
        Collections.sort(flowRates);
        Collections.sort(limitRates);
        Collections.sort(ratios);
        double flowBest = flowRates.get(rounds - 1);
        double limitBest = limitRates.get(rounds - 1);
        System.out.printf(
                "%s d=%s b=%s, %d rounds of 1.5-s windows: flow best %.1f median %.1f steps/s; limit best %.1f"
                        + " median %.1f; best/best %.3f, median of per-round ratios %.3f (min %.3f, max %.3f)%n",
                args[0],
                args[1],
                args[2],
                rounds,
                flowBest,
                flowRates.get(rounds / 2),
                limitBest,
                limitRates.get(rounds / 2),
                limitBest / flowBest,
                ratios.get(rounds / 2),
                ratios.get(0),
                ratios.get(rounds - 1));
    }

    /** Steps per second over one window. */
    private static double rate(Runnable step) {
        long start = System.nanoTime();
        int count = 0;
        while (System.nanoTime() - start < WINDOW_NANOS) {
            step.run();
            count++;
        }
        return count * 1e9 / (System.nanoTime() - start);
    }
}
