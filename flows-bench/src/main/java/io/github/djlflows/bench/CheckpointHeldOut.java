package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.FlowFactory;
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
        if (args.length != 2) {
            throw new IllegalArgumentException(
                    "usage: CheckpointHeldOut <config.json> <checkpoint-dir>, got "
                            + args.length
                            + " arguments");
        }
        FlowConfig config = FlowConfig.read(Path.of(args[0]));
        Path dir = Path.of(args[1]);
        Path step = dir.resolve("step.txt");
        if (!Files.isRegularFile(step)) {
            throw new IllegalArgumentException("not a training checkpoint (no step.txt): " + dir);
        }
        try (Model model = Model.newInstance("checkpoint");
                NDManager data = NDManager.newBaseManager()) {
            NormalizingFlow flow = FlowFactory.build(config);
            model.setBlock(flow);
            model.load(dir, "checkpoint");
            NDArray heldOut = FlowData.heldOut(config, data);
            double nll = HeldOut.nll(flow, heldOut);
            String bits =
                    FlowData.isDiscrete(config)
                            ? String.format(
                                    Locale.ROOT,
                                    ", %.4f bits/dim",
                                    FlowData.bitsPerDim(config, nll))
                            : "";
            System.out.printf(
                    Locale.ROOT,
                    "step %s: held-out NLL %.4f nats%s (%s)%n",
                    Files.readString(step).trim(),
                    nll,
                    bits,
                    FlowData.describeHeldOut(config));
            float[] logp = logDensities(model, heldOut);
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
        }
    }

    private static float[] logDensities(Model model, NDArray x) throws Exception {
        long n = x.getShape().get(0);
        float[] out = new float[(int) n];
        try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator())) {
            for (long start = 0; start < n; start += 500) {
                long end = Math.min(n, start + 500);
                try (NDManager chunk = x.getManager().newSubManager()) {
                    NDArray part = x.get(start + ":" + end);
                    part.attach(chunk);
                    float[] values = predictor.predict(new NDList(part)).get(2).toFloatArray();
                    System.arraycopy(values, 0, out, (int) start, values.length);
                }
            }
        }
        return out;
    }
}
