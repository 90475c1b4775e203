package io.github.djlflows.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The limit a flow cannot beat: its conditioner networks alone ({@link BenchModels#conditioners}:
 * same MLPs, same batch, same trainer and Adam settings as {@link FlowBenchmark}), without masks,
 * bijections, log-determinants or base density. {@code forward} (one pass of every network) bounds
 * {@code logProb} and {@code sample}; {@code trainStep} bounds a training step. The gap to {@link
 * FlowBenchmark} is the flow machinery's overhead.
 *
 * <pre>{@code
 * java -jar flows-bench/target/benchmarks.jar ConditionerLimitBenchmark -p dim=64 -p batch=256
 * }</pre>
 */
public class ConditionerLimitBenchmark extends TrainerBenchmark {

    /** {@inheritDoc} */
    @Override
    protected Block block() {
        return BenchModels.conditioners(family, dim, depth);
    }

    /** {@inheritDoc} */
    @Override
    protected Loss trainingLoss() {
        return Loss.l2Loss();
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray loss(NDList outputs) {
        return outputs.head();
    }

    /**
     * One inference pass of every network.
     *
     * @param bh the sink
     */
    @Benchmark
    public void forward(Blackhole bh) {
        try (NDManager step = data.newSubManager()) {
            x.tempAttach(step);
            ParameterStore ps = new ParameterStore(step, false);
            bh.consume(trainer.getModel().getBlock().forward(ps, new NDList(x), false));
        }
    }

    /** Forward, backward and Adam update of every network. */
    @Benchmark
    public void trainStep() {
        step();
    }
}
