package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
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

    /** {@code --draws K}; {@code --uniform-draws}, its first name, still runs older records. */
    private static final java.util.Set<String> DRAWS_FLAGS =
            java.util.Set.of("--draws", "--uniform-draws");

    private CheckpointHeldOut() {}

    /**
     * Prints the checkpoint's step, held-out NLL and the config's metric (bits/dim for digits and
     * Fashion-MNIST).
     *
     * @param args the run's config.json, the checkpoint directory
     * @throws Exception if either cannot be read
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 && !(args.length == 4 && DRAWS_FLAGS.contains(args[2]))) {
            throw new IllegalArgumentException(
                    "usage: CheckpointHeldOut <config.json> <checkpoint-dir | model-dir>"
                            + " [--draws K], got "
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
                dequantizationBounds(config, flow, heldOut, draws);
            }
        }
    }

    /**
     * The dequantization bound of an image model from {@code draws} seeded draws of the noise u per
     * image, and the importance-weighted bound of the same draws, -mean_i log((1/K) sum_k w_ik)
     * (Burda et al. 2016; for dequantization Hoogeboom et al. 2020): an upper bound on bits/dim in
     * expectation too, tighter as K grows. Uniform dequantization: w = p((x + u) / 256), u ~ U[0,
     * 1)^D (the model's {@code Dequantize} maps x to (x + 0.5) / 256 at evaluation, so it is given
     * x + u - 0.5). Variational: w = p((x + u) / 256) / q(u | x), u ~ q, the layer's own training
     * draw (a forward pass with {@code training = true}; the trained ActNorms keep their values).
     */
    private static void dequantizationBounds(
            FlowConfig config, NormalizingFlow flow, NDArray x, int draws) {
        if (!FlowFactory.isImage(config)) {
            throw new IllegalArgumentException("--draws applies to image models");
        }
        String kind = config.variationalDequantization() ? "variational" : "uniform";
        int n = Math.toIntExact(x.getShape().get(0));
        double[][] logw = new double[draws][n];
        double sum = 0;
        for (int k = 0; k < draws; k++) {
            long seed = config.heldOutSeed + 1000 + k;
            float[] values =
                    config.variationalDequantization()
                            ? variationalLogWeights(flow, x, seed)
                            : HeldOut.uniformLogDensities(flow, x, seed);
            double drawSum = 0;
            for (int i = 0; i < n; i++) {
                logw[k][i] = values[i];
                drawSum += values[i];
            }
            double nll = -drawSum / n;
            System.out.printf(
                    Locale.ROOT, "%s draw %d: NLL %.4f nats%s%n", kind, k, nll, bits(config, nll));
            sum += nll;
        }
        double mean = sum / draws;
        System.out.printf(
                Locale.ROOT,
                "%s-dequantization bound over %d draws: NLL %.4f nats%s%n",
                kind,
                draws,
                mean,
                bits(config, mean));
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < draws; k++) {
                max = Math.max(max, logw[k][i]);
            }
            double total = 0;
            for (int k = 0; k < draws; k++) {
                total += Math.exp(logw[k][i] - max);
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

    /** log p((x + u) / 256) - D ln 256 - log q(u | x) per image, u ~ q from the engine's seed. */
    private static float[] variationalLogWeights(NormalizingFlow flow, NDArray x, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        return HeldOut.perSample(
                x,
                part ->
                        flow.forward(
                                        new ParameterStore(part.getManager(), false),
                                        new NDList(part),
                                        true)
                                .get(2));
    }

    private static String bits(FlowConfig config, double nll) {
        return FlowData.isDiscrete(config)
                ? String.format(Locale.ROOT, ", %.4f bits/dim", FlowData.bitsPerDim(config, nll))
                : "";
    }
}
