package io.github.djlflows.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.concurrent.TimeUnit;
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

/**
 * The common part of the benchmarks: the parameters (family, dim, batch, depth), a block trained by
 * a DJL {@link Trainer} with Adam ({@link BenchModels#LEARNING_RATE}), a fixed batch of
 * standard-normal data, and a check that memory stays flat.
 *
 * <p>Scores are batches per second; multiply by {@code batch} for samples per second. Each
 * invocation works in its own {@link NDManager} sub-manager, closed at its end, and after every
 * iteration the number of live arrays under the model's manager must not have grown, so a leak
 * fails the run instead of skewing it.
 *
 * <p>Engine threads: pass {@code -jvmArgsAppend "-Dai.djl.pytorch.num_threads=N
 * -Dai.djl.pytorch.num_interop_threads=1"} (read once, when DJL's PyTorch engine loads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx4g"})
public abstract class TrainerBenchmark {

    /**
     * The flow family, see {@link BenchModels#flow}. {@code glow} ignores {@code dim} (1x28x28
     * images) and has no conditioner limit; {@code iaf}'s density takes D passes per layer.
     */
    @Param({"realnvp", "maf", "iaf", "nsf", "glow"})
    public String family;

    /** The number of features. */
    @Param({"2", "64", "784"})
    public int dim;

    /** The batch size. */
    @Param({"256", "1024"})
    public int batch;

    /** The number of layers. */
    @Param({"8"})
    public int depth;

    /**
     * The optimizer: {@code fused} (flows-core's FusedAdam, one flat update of all parameters) or
     * {@code djl} (DJL's Adam, one native update per parameter). Same rule, same settings.
     */
    @Param({"fused"})
    public String optimizer;

    /** The trainer of {@link #block()}. */
    protected Trainer trainer;

    /** The manager of the data; each invocation opens a sub-manager of it. */
    protected NDManager data;

    /** The fixed batch, {@link BenchModels#inputShape}: (batch, dim), or images for glow. */
    protected NDArray x;

    private int live = -1;

    /**
     * The block to time.
     *
     * @return a new, uninitialized block
     */
    protected abstract Block block();

    /**
     * The scalar loss of one training forward.
     *
     * @param outputs the block's training outputs
     * @return the loss
     */
    protected abstract NDArray loss(NDList outputs);

    /**
     * The loss the trainer is configured with.
     *
     * @return the loss
     */
    protected abstract Loss trainingLoss();

    /** Builds the block, its trainer and the batch. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchSupport.startEngine();
        Shape shape = BenchModels.inputShape(family, batch, dim);
        trainer = BenchSupport.trainer(block(), trainingLoss(), shape, optimizer);
        data = trainer.getModel().getNDManager().newSubManager();
        x = data.randomNormal(0f, 1f, shape, DataType.FLOAT32);
    }

    /** Fails the run if live arrays grew during the iteration. */
    @TearDown(Level.Iteration)
    public void checkMemory() {
        int now = trainer.getModel().getNDManager().getManagedArrays().size();
        if (live >= 0 && now > live) {
            throw new IllegalStateException(
                    getClass().getSimpleName()
                            + " leaks: live arrays grew from "
                            + live
                            + " to "
                            + now);
        }
        live = now;
    }

    /** Releases the model and its arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        trainer.getModel().close();
    }

    /** One step: training forward, {@link #loss}, backward, Adam update of every parameter. */
    protected void step() {
        try (NDManager step = data.newSubManager();
                GradientCollector collector = trainer.newGradientCollector()) {
            x.tempAttach(step);
            collector.backward(loss(trainer.forward(new NDList(x))));
        }
        trainer.step();
    }
}
