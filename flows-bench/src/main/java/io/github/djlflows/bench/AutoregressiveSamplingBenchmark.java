package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.djlflows.core.NormalizingFlow;
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
 * Sampling cost of the autoregressive flows against the dimension D (issue 3, point 5): MAF samples
 * in D MADE passes per layer, so its time should grow about linearly in D; IAF samples in one pass
 * per layer, so its number of passes is flat in D (only the width of each pass grows). Same depth,
 * hidden widths and batch for both ({@link BenchModels#flow}); scores are milliseconds per batch of
 * samples.
 *
 * <pre>{@code
 * java -jar flows-bench/target/benchmarks.jar AutoregressiveSamplingBenchmark -f 1 -wi 2 -i 3 \
 *     -jvmArgsAppend "-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx4g"})
public class AutoregressiveSamplingBenchmark {

    /** {@code maf} (D passes per layer) or {@code iaf} (one pass per layer). */
    @Param({"maf", "iaf"})
    public String family;

    /** The number of features D. */
    @Param({"2", "8", "32", "64"})
    public int dim;

    /** The number of samples per call. */
    @Param({"256"})
    public int batch;

    /** The number of autoregressive layers. */
    @Param({"8"})
    public int depth;

    private Model model;
    private NormalizingFlow flow;

    /** Builds and initializes the flow. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchSupport.startEngine();
        flow = BenchModels.flow(family, dim, depth);
        model = Model.newInstance("bench");
        model.setBlock(flow);
        flow.initialize(
                model.getNDManager(), DataType.FLOAT32, BenchModels.inputShape(family, batch, dim));
    }

    /** Releases the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /**
     * A batch of samples.
     *
     * @param bh the sink
     */
    @Benchmark
    public void sample(Blackhole bh) {
        try (NDManager step = model.getNDManager().newSubManager()) {
            bh.consume(flow.sample(step, batch));
        }
    }
}
