package io.github.djlflows.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The engine's fixed cost per operation, the floor under every small flow: a chain of {@code ops}
 * elementwise products {@code y = y * c} on a (rows, cols) float32 array, each kept alive until the
 * chain ends (as a flow's intermediates are). Three ways:
 *
 * <ul>
 *   <li>{@code forward}: no autograd graph (as {@code logProb} and {@code sample});
 *   <li>{@code record}: the input requires a gradient, so every product also records its backward
 *       node (a training forward), and the graph is dropped;
 *   <li>{@code recordBackward}: the same, then backward through the whole chain.
 * </ul>
 *
 * <p>Scores are chains per second; {@code 1e6 / (score * ops)} is microseconds per operation, and
 * {@code recordBackward} minus {@code record} is the backward cost per node. The PyTorch peer
 * ({@code peer/op_costs.py}) times the same chains, and {@code run-op-costs.sh} prints both.
 *
 * <pre>{@code
 * java -jar flows-bench/target/benchmarks.jar OpCostBenchmark -p cols=1 -f 1 -wi 2 -i 3
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx2g"})
public class OpCostBenchmark {

    /** Products per chain. */
    @Param({"64"})
    public int ops;

    /** Rows of the array (a flow's batch). */
    @Param({"256"})
    public int rows;

    /** Columns of the array: 1 (a 2-D flow's half) measures the fixed cost almost alone. */
    @Param({"1", "64"})
    public int cols;

    private NDManager data;
    private NDArray x;
    private NDArray tracked;
    private NDArray factor;
    private int live = -1;

    /** Creates the inputs: one plain, one that requires a gradient, and the factor. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchSupport.startEngine();
        data = NDManager.newBaseManager();
        Shape shape = new Shape(rows, cols);
        x = data.randomNormal(0f, 1f, shape, DataType.FLOAT32);
        tracked = x.duplicate();
        tracked.setRequiresGradient(true);
        // close to 1 so that 64 products stay finite; a 0-d array owned by torch
        factor = data.full(new Shape(), 1.0001f, DataType.FLOAT32);
    }

    /** Fails the run if live arrays grew during the iteration. */
    @TearDown(Level.Iteration)
    public void checkMemory() {
        int now = data.getManagedArrays().size();
        if (live >= 0 && now > live) {
            throw new IllegalStateException(
                    "OpCostBenchmark leaks: live arrays grew from " + live + " to " + now);
        }
        live = now;
    }

    /** Releases the arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        data.close();
    }

    private NDArray chain(NDArray input) {
        NDArray y = input;
        for (int i = 0; i < ops; i++) {
            y = y.mul(factor);
        }
        return y;
    }

    /**
     * The chain without an autograd graph.
     *
     * @param bh the sink
     */
    @Benchmark
    public void forward(Blackhole bh) {
        try (NDManager step = data.newSubManager()) {
            x.tempAttach(step);
            bh.consume(chain(x));
        }
    }

    /**
     * The chain recording its backward graph, which is then dropped.
     *
     * @param bh the sink
     */
    @Benchmark
    public void record(Blackhole bh) {
        try (NDManager step = data.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            tracked.tempAttach(step);
            bh.consume(chain(tracked));
        }
    }

    /** The recorded chain and its backward pass (the gradient reaches the input). */
    @Benchmark
    public void recordBackward() {
        try (NDManager step = data.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            tracked.tempAttach(step);
            collector.backward(chain(tracked).sum());
        }
    }
}
