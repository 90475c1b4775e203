package io.github.djlflows.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.train.NegativeLogLikelihood;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of a whole flow: {@code logProb} (density of a batch, evaluation mode), {@code sample}
 * (a batch of samples) and {@code trainStep} (forward, NLL, backward, Adam update through a DJL
 * trainer), and two parts of a step: {@code trainForward} (its forward) and {@code update} (its
 * Adam update). Scores are batches per second.
 *
 * <pre>{@code
 * java -jar flows-bench/target/benchmarks.jar FlowBenchmark.trainStep -p dim=2 -p batch=256 \
 *     -f 1 -wi 1 -i 3 -rf json -rff out.json
 * }</pre>
 */
public class FlowBenchmark extends TrainerBenchmark {

    private final NegativeLogLikelihood nll = new NegativeLogLikelihood();
    private NormalizingFlow flow;
    private boolean primed;

    /** {@inheritDoc} */
    @Override
    protected Block block() {
        flow = BenchModels.flow(family, dim, depth);
        return flow;
    }

    /** {@inheritDoc} */
    @Override
    protected Loss trainingLoss() {
        return nll;
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray loss(NDList outputs) {
        return nll.evaluate(null, outputs);
    }

    /**
     * log p(x) of a batch.
     *
     * @param bh the sink
     */
    @Benchmark
    public void logProb(Blackhole bh) {
        try (NDManager step = data.newSubManager()) {
            x.tempAttach(step);
            bh.consume(flow.logProb(x));
        }
    }

    /**
     * A batch of samples.
     *
     * @param bh the sink
     */
    @Benchmark
    public void sample(Blackhole bh) {
        try (NDManager step = data.newSubManager()) {
            bh.consume(flow.sample(step, batch));
        }
    }

    /**
     * The forward half of {@link #trainStep}: forward and NLL recording the autograd graph, which
     * is dropped ({@code trainStep} minus this is the backward pass and the update).
     *
     * @param bh the sink
     */
    @Benchmark
    public void trainForward(Blackhole bh) {
        try (NDManager step = data.newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            x.tempAttach(step);
            bh.consume(loss(trainer.forward(new NDList(x))));
        }
    }

    /**
     * The update half of {@link #trainStep}: Adam on the gradients of the last backward pass (one
     * whole step first, so that there are gradients).
     */
    @Benchmark
    public void update() {
        if (!primed) {
            step();
            primed = true;
        }
        trainer.step();
    }

    /** One maximum-likelihood step. */
    @Benchmark
    public void trainStep() {
        step();
    }
}
