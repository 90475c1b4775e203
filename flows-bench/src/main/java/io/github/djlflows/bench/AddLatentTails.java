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
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Adds {@link FlowFactory#latentTails} ({@link RangeTails}, the identity on [-6, 6] in every latent
 * coordinate, logarithmic beyond) to the latent end of shipped zoo artifacts (zips, rewritten in
 * place) or a training run's model directory (written to a new {@code <dir>-tails} beside it, named
 * {@code family-dataset} as the zoo's artifacts are) without retraining: the trained layers are
 * kept as loaded, the config gets {@code latentTails: true}, the params file and its SHA-256 are
 * rewritten, and the metrics' notes record the held-out figure before and after and how many
 * held-out samples changed. By default an artifact is rewritten only when every held-out sample's
 * log-density is unchanged bit for bit (all held-out latents inside the range) or the mean NLL
 * moves by less than 1e-4 nats; with {@code --accept-changes} it is rewritten whatever moves, and
 * the metrics' value becomes the figure with the tails (the figure without them stays in the
 * notes): for a model whose held-out mean is dominated by a few samples mapped far out, such as an
 * image flow.
 *
 * <pre>
 * java -Dai.djl.offline=true -cp ... io.github.djlflows.bench.AddLatentTails [--accept-changes] \
 *     flows-zoo/src/main/resources/io/github/djlflows/zoo/artifacts/realnvp/two-moons.zip ...
 * </pre>
 */
public final class AddLatentTails {

    private AddLatentTails() {}

    /**
     * Rewrites each given artifact zip in place, converts each model directory into {@code
     * <dir>-tails}.
     *
     * @param args {@code --accept-changes} optionally, then artifact zips or model directories
     * @throws Exception if an artifact cannot be read, converted or written
     */
    public static void main(String[] args) throws Exception {
        boolean acceptChanges = args.length > 0 && "--accept-changes".equals(args[0]);
        for (String arg : Arrays.copyOfRange(args, acceptChanges ? 1 : 0, args.length)) {
            try {
                convert(Path.of(arg), acceptChanges);
            } catch (RuntimeException e) {
                // e.g. a checkpoint of the version-1 coupling layout, which loads but cannot be
                // re-initialised around: left as it is, to be retrained with the tails
                System.out.println(arg + ": NOT converted: " + e.getMessage());
            }
        }
    }

    private static void convert(Path artifact, boolean acceptChanges) throws Exception {
        boolean directory = Files.isDirectory(artifact);
        Map<String, byte[]> files = directory ? readDirectory(artifact) : read(artifact);
        for (String required : new String[] {ModelDirectory.CONFIG, ModelDirectory.METRICS}) {
            if (!files.containsKey(required)) {
                throw new IllegalArgumentException("no " + required + " in " + artifact);
            }
        }
        FlowConfig config =
                FlowConfig.read(
                        new ByteArrayInputStream(files.get(ModelDirectory.CONFIG)), artifact + "");
        if (config.latentTails) {
            System.out.println(artifact + ": has latent tails already");
            return;
        }
        FlowMetrics metrics =
                FlowMetrics.read(new ByteArrayInputStream(files.get(ModelDirectory.METRICS)), "m");
        // the zoo's naming (family-dataset), also for a training run's directory of another name
        String name = directory ? config.family + "-" + config.dataset : modelName(metrics);
        Path target = directory ? artifact.resolveSibling(artifact.getFileName() + "-tails") : null;
        if (target != null && Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists already: not overwritten");
        }
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
            NormalizingFlow withTails =
                    NormalizingFlow.builder()
                            .setFlow(FlowSequence.of(flow.getFlow(), FlowFactory.latentTails(d)))
                            .setBase(flow.getBase())
                            .optSampleLogProb(flow.getSampleLogProb())
                            .build();
            withTails.initialize(
                    tailed.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(config.shape()));
            tailed.setBlock(withTails);
            float[] before = HeldOut.logDensities(flow, heldOut);
            float[] after = HeldOut.logDensities(withTails, heldOut);
            int changed = 0;
            for (int i = 0; i < before.length; i++) {
                if (Float.compare(before[i], after[i]) != 0) {
                    changed++;
                }
            }
            double nllBefore = HeldOut.nll(flow, heldOut);
            double nllAfter = HeldOut.nll(withTails, heldOut);
            String figures =
                    String.format(
                            Locale.ROOT,
                            "held-out NLL %.6f nats%s before, %.6f nats%s after (%d of %d held-out"
                                    + " samples changed: a latent beyond %s)",
                            nllBefore,
                            bits(config, nllBefore),
                            nllAfter,
                            bits(config, nllAfter),
                            changed,
                            before.length,
                            FlowFactory.LATENT_TAIL_BOUND);
            if (!acceptChanges && changed > 0 && Math.abs(nllAfter - nllBefore) >= 1e-4) {
                System.out.println(artifact + ": NOT converted: " + figures);
                return;
            }
            String bound = "";
            if (FlowFactory.isImage(config) && !config.variationalDequantization()) {
                // the uniform-dequantization bound the trainer records for image models
                double boundBefore = HeldOut.uniformBound(flow, heldOut, config.heldOutSeed);
                double boundAfter = HeldOut.uniformBound(withTails, heldOut, config.heldOutSeed);
                metrics.uniformBound = FlowData.bitsPerDim(config, boundAfter);
                bound =
                        String.format(
                                Locale.ROOT,
                                "; uniform-dequantization bound (one draw per image, seed %d)"
                                        + " %.4f bits/dim before, %.4f after",
                                config.heldOutSeed,
                                FlowData.bitsPerDim(config, boundBefore),
                                metrics.uniformBound);
            }
            config.latentTails = true;
            config.latentTailsAfterTraining = true; // so reproduce trains as the model was trained
            if (changed > 0) {
                // the evaluation names the NLL the value came from: the one with the tails now
                if (metrics.evaluation != null) {
                    metrics.evaluation =
                            metrics.evaluation.replace(
                                    String.format(Locale.ROOT, "%.6f", nllBefore),
                                    String.format(Locale.ROOT, "%.6f", nllAfter));
                }
                metrics.value =
                        FlowData.isDiscrete(config)
                                ? FlowData.bitsPerDim(config, nllAfter)
                                : nllAfter;
            }
            String note =
                    "Latent tails (RangeTails on [-"
                            + FlowFactory.LATENT_TAIL_BOUND
                            + ", "
                            + FlowFactory.LATENT_TAIL_BOUND
                            + "], scale "
                            + FlowFactory.LATENT_TAIL_SCALE
                            + ") added on "
                            + LocalDate.now(ZoneOffset.UTC)
                            + " without retraining (flows-bench AddLatentTails"
                            + (acceptChanges ? " --accept-changes" : "")
                            + "): "
                            + figures
                            + bound
                            + (changed > 0 ? "; the value above is the figure with the tails" : "");
            metrics.notes = metrics.notes == null ? note : metrics.notes + " " + note;
            ModelDirectory.save(tailed, config, metrics, dir);
            System.out.println(artifact + ": converted: " + figures);
        }
        if (directory) {
            // a directory is converted into a new sibling; what the save does not write (a
            // training curve, a validation log) is copied along
            Files.createDirectories(target);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                if (!f.getKey().endsWith(".params")
                        && !f.getKey().equals(ModelDirectory.SERVING_PROPERTIES)) {
                    Files.write(target.resolve(f.getKey()), f.getValue());
                }
            }
            try (var list = Files.list(dir)) {
                for (Path f : list.toList()) {
                    Files.copy(
                            f,
                            target.resolve(f.getFileName().toString()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.out.println("written to " + target);
        } else {
            write(artifact, dir);
        }
    }

    private static String modelName(FlowMetrics metrics) {
        return metrics.paramsFile.replace("-0000.params", "");
    }

    private static String bits(FlowConfig config, double nll) {
        return FlowData.isDiscrete(config)
                ? String.format(Locale.ROOT, " (%.4f bits/dim)", FlowData.bitsPerDim(config, nll))
                : "";
    }

    private static Map<String, byte[]> readDirectory(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (var list = Files.list(dir)) {
            for (Path f : list.filter(Files::isRegularFile).toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
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
