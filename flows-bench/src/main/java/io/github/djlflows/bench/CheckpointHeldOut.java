package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.train.HeldOut;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The held-out metric of a training checkpoint ({@code <out>/checkpoint/} of {@code flows train} on
 * a built-in dataset), computed as the trainer computes it at the end of a run, so a long run can
 * be followed without stopping it. Copy the checkpoint directory first when the run is still
 * writing it.
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp flows-bench/target/benchmarks.jar \
 *     io.github.djlflows.bench.CheckpointHeldOut config.json /tmp/checkpoint-copy
 * </pre>
 */
public final class CheckpointHeldOut {

    private CheckpointHeldOut() {}

    /**
     * Prints the checkpoint's step, held-out NLL and the config's metric (bits/dim for digits and
     * Fashion-MNIST).
     *
     * @param args the run's config.json, the checkpoint directory
     * @throws Exception if either cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 && !(args.length == 4 && "--uniform-draws".equals(args[2]))) {
            throw new IllegalArgumentException(
                    "usage: CheckpointHeldOut <config.json> <checkpoint-dir | model-dir>"
                            + " [--uniform-draws K], got "
                            + String.join(" ", args));
        }
        FlowConfig config = FlowConfig.read(Path.of(args[0]));
        int draws = args.length == 4 ? Integer.parseInt(args[3]) : 0;
        Path dir = Path.of(args[1]);
        Path step = dir.resolve("step.txt");
        boolean checkpoint = Files.isRegularFile(step);
        if (!checkpoint && !Files.isRegularFile(dir.resolve(ModelDirectory.CONFIG))) {
            throw new IllegalArgumentException(
                    "neither a training checkpoint (step.txt) nor a model directory: " + dir);
        }
        try (Model model =
                        checkpoint
                                ? Model.newInstance("checkpoint")
                                : ModelDirectory.load(dir, null);
                NDManager data = NDManager.newBaseManager()) {
            NormalizingFlow flow;
            if (checkpoint) {
                flow = FlowFactory.build(config);
                model.setBlock(flow);
                model.load(dir, "checkpoint");
            } else {
                flow = (NormalizingFlow) model.getBlock();
            }
            NDArray heldOut = FlowData.heldOut(config, data);
            double nll = HeldOut.nll(flow, heldOut);
            System.out.printf(
                    Locale.ROOT,
                    "%s: held-out NLL %.4f nats%s (%s)%n",
                    checkpoint ? "step " + Files.readString(step).trim() : dir.toString(),
                    nll,
                    bits(config, nll),
                    FlowData.describeHeldOut(config));
            float[] logp = HeldOut.logDensities(flow, heldOut);
            int lowest = 0;
            for (int i = 1; i < logp.length; i++) {
                if (logp[i] < logp[lowest]) {
                    lowest = i;
                }
            }
            float[] sorted = logp.clone();
            Arrays.sort(sorted);
            System.out.printf(
                    Locale.ROOT,
                    "log p per sample: lowest %.6g (sample %d), 1%% quantile %.6g, median %.6g,"
                            + " highest %.6g%n",
                    sorted[0],
                    lowest,
                    sorted[sorted.length / 100],
                    sorted[sorted.length / 2],
                    sorted[sorted.length - 1]);
            if (draws > 0) {
                uniformBound(config, flow, heldOut, draws);
            }
        }
    }

    /**
     * The uniform-dequantization bound -E_u log p((x + u) / 256) + D ln 256 of an image model (what
     * published bits/dim figures report), from {@code draws} seeded draws of u ~ U[0, 1)^D, and the
     * importance-weighted bound of the same draws, -mean_i log((1/K) sum_k p((x_i + u_ik) / 256))
     * (Burda et al. 2016; for dequantization Hoogeboom et al. 2020): also an upper bound on
     * bits/dim in expectation, tighter as K grows. The model's {@code Dequantize} maps x to (x +
     * 0.5) / 256 at evaluation, so it is given x + u - 0.5.
     */
    private static void uniformBound(
            FlowConfig config, NormalizingFlow flow, NDArray x, int draws) {
        if (!FlowFactory.isImage(config) || config.variationalDequantization()) {
            throw new IllegalArgumentException(
                    "--uniform-draws applies to image models with uniform dequantization");
        }
        int n = Math.toIntExact(x.getShape().get(0));
        double[][] logp = new double[draws][n];
        double sum = 0;
        for (int k = 0; k < draws; k++) {
            float[] values = HeldOut.uniformLogDensities(flow, x, config.heldOutSeed + 1000 + k);
            double drawSum = 0;
            for (int i = 0; i < n; i++) {
                logp[k][i] = values[i];
                drawSum += values[i];
            }
            double nll = -drawSum / n;
            System.out.printf(
                    Locale.ROOT, "uniform draw %d: NLL %.4f nats%s%n", k, nll, bits(config, nll));
            sum += nll;
        }
        double mean = sum / draws;
        System.out.printf(
                Locale.ROOT,
                "uniform-dequantization bound over %d draws: NLL %.4f nats%s%n",
                draws,
                mean,
                bits(config, mean));
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < draws; k++) {
                max = Math.max(max, logp[k][i]);
            }
            double total = 0;
            for (int k = 0; k < draws; k++) {
                total += Math.exp(logp[k][i] - max);
            }
            weighted -= max + Math.log(total / draws);
        }
        weighted /= n;
        System.out.printf(
                Locale.ROOT,
                "importance-weighted bound of the %d draws: NLL %.4f nats%s%n",
                draws,
                weighted,
                bits(config, weighted));
    }

    private static String bits(FlowConfig config, double nll) {
        return FlowData.isDiscrete(config)
                ? String.format(Locale.ROOT, ", %.4f bits/dim", FlowData.bitsPerDim(config, nll))
                : "";
    }
}
