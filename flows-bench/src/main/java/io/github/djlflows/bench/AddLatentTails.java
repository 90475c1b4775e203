package io.github.djlflows.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.elementwise.RangeTails;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.FlowMetrics;
import io.github.djlflows.zoo.ModelDirectory;
import io.github.djlflows.zoo.ParamsLoading;
import io.github.djlflows.zoo.train.HeldOut;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Adds {@link FlowFactory#latentTails} ({@link RangeTails}, the identity on [-6, 6] in every latent
 * coordinate, logarithmic beyond) to the latent end of shipped tabular zoo artifacts without
 * retraining: the trained layers are kept as loaded, the config gets {@code latentTails: true}, the
 * params file and its SHA-256 are rewritten, and the metrics' notes record the held-out NLL before
 * and after. An artifact is rewritten only when every held-out point's log-density is unchanged bit
 * for bit (all held-out latents inside the range) or the mean NLL moves by less than 1e-4 nats.
 *
 * <pre>
 * java -Dai.djl.offline=true -cp ... io.github.djlflows.bench.AddLatentTails flows-zoo/src/main/resources/io/github/djlflows/zoo/artifacts/realnvp/two-moons.zip ...
 * </pre>
 */
public final class AddLatentTails {

    private AddLatentTails() {}

    /**
     * Rewrites each given artifact zip in place.
     *
     * @param args artifact zip files
     * @throws Exception if an artifact cannot be read, converted or written
     */
    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            try {
                convert(Path.of(arg));
            } catch (RuntimeException e) {
                // e.g. a checkpoint of the version-1 coupling layout, which loads but cannot be
                // re-initialised around: left as it is, to be retrained with the tails
                System.out.println(arg + ": NOT converted: " + e.getMessage());
            }
        }
    }

    private static void convert(Path zip) throws Exception {
        Map<String, byte[]> files = read(zip);
        FlowConfig config =
                FlowConfig.read(
                        new ByteArrayInputStream(files.get(ModelDirectory.CONFIG)), zip + "");
        if (config.latentTails) {
            System.out.println(zip + ": has latent tails already");
            return;
        }
        FlowMetrics metrics =
                FlowMetrics.read(new ByteArrayInputStream(files.get(ModelDirectory.METRICS)), "m");
        String name = metrics.paramsFile.replace("-0000.params", "");
        Path dir = Files.createTempDirectory("latent-tails");
        try (Model old = Model.newInstance(name);
                Model tailed = Model.newInstance(name);
                NDManager data = NDManager.newBaseManager()) {
            NormalizingFlow flow = FlowFactory.build(config);
            old.setBlock(flow);
            ParamsLoading.load(
                    old,
                    new ByteArrayInputStream(files.get(metrics.paramsFile)),
                    metrics.paramsFile,
                    metrics.paramsSha256);
            NDArray heldOut = FlowData.heldOut(config, data);
            int d = Math.toIntExact(config.shape().size());
            RangeTails tails = FlowFactory.latentTails(d);
            NormalizingFlow withTails =
                    NormalizingFlow.builder()
                            .setFlow(FlowSequence.of(flow.getFlow(), tails))
                            .setBase(flow.getBase())
                            .build();
            withTails.initialize(
                    tailed.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(config.shape()));
            tailed.setBlock(withTails);
            float[] before = flow.logProb(heldOut).toFloatArray();
            float[] after = withTails.logProb(heldOut).toFloatArray();
            NDArray latent =
                    flow.getFlow()
                            .forward(
                                    new ai.djl.training.ParameterStore(data, false),
                                    new ai.djl.ndarray.NDList(heldOut),
                                    false)
                            .get(0);
            long outside =
                    latent.abs()
                            .gt(FlowFactory.LATENT_TAIL_BOUND)
                            .toType(DataType.INT32, false)
                            .max(new int[] {1})
                            .sum()
                            .toType(DataType.INT64, false)
                            .getLong();
            double nllBefore = HeldOut.nll(flow, heldOut);
            double nllAfter = HeldOut.nll(withTails, heldOut);
            boolean identical = Arrays.equals(before, after);
            String figures =
                    String.format(
                            "held-out NLL %.6f before, %.6f after (%d of %d held-out points"
                                    + " with a latent beyond %s, log-densities %s)",
                            nllBefore,
                            nllAfter,
                            outside,
                            before.length,
                            FlowFactory.LATENT_TAIL_BOUND,
                            identical ? "bit-identical" : "changed");
            if (!identical && Math.abs(nllAfter - nllBefore) >= 1e-4) {
                System.out.println(zip + ": NOT converted: " + figures);
                return;
            }
            config.latentTails = true;
            String note =
                    "Latent tails (RangeTails on [-"
                            + FlowFactory.LATENT_TAIL_BOUND
                            + ", "
                            + FlowFactory.LATENT_TAIL_BOUND
                            + "], scale "
                            + FlowFactory.LATENT_TAIL_SCALE
                            + ") added on 2026-12-01 without retraining (flows-bench"
                            + " AddLatentTails): "
                            + figures;
            metrics.notes = metrics.notes == null ? note : metrics.notes + " " + note;
            ModelDirectory.save(tailed, config, metrics, dir);
            System.out.println(zip + ": converted: " + figures);
        }
        write(zip, dir);
    }

    private static Map<String, byte[]> read(Path zip) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (InputStream in = Files.newInputStream(zip);
                ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                files.put(e.getName(), z.readAllBytes());
            }
        }
        return files;
    }

    private static void write(Path zip, Path dir) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            try (var list = Files.list(dir)) {
                for (Path f : list.sorted().toList()) {
                    ZipEntry e = new ZipEntry(f.getFileName().toString());
                    e.setTime(0);
                    z.putNextEntry(e);
                    z.write(Files.readAllBytes(f));
                    z.closeEntry();
                }
            }
        }
    }
}
