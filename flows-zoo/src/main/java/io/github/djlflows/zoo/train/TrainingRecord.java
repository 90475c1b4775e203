package io.github.djlflows.zoo.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.train.LearningRateSchedule;
import io.github.djlflows.zoo.FlowConfig;
import io.github.djlflows.zoo.FlowData;
import io.github.djlflows.zoo.FlowFactory;
import io.github.djlflows.zoo.FlowMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The record of a finished training run: the held-out metric and how it was computed, the recipe
 * that ran, the steps, the time, the machine and the threads.
 */
final class TrainingRecord {

    private TrainingRecord() {}

    /**
     * Builds the metrics of a run.
     *
     * @param config what was trained
     * @param nll the mean held-out NLL in nats of the model's input
     * @param steps the steps done
     * @param seconds the training seconds summed over runs
     * @param command the command that ran
     * @param runs how many runs (the first and its resumptions)
     * @return the metrics, without the params hash
     */
    static FlowMetrics of(
            FlowConfig config, double nll, int steps, double seconds, String command, int runs) {
        FlowMetrics m = new FlowMetrics();
        if (FlowData.isDiscrete(config)) {
            m.metric = "bits_per_dim";
            m.value = FlowData.bitsPerDim(config, nll);
            m.evaluation =
                    "digits".equals(config.dataset)
                            ? String.format(
                                    Locale.ROOT,
                                    "(NLL / %d + ln 17) / ln 2 with NLL = %.6f nats, the mean -log p(x) of the"
                                            + " model over the held-out rows x = (v + u) / 17",
                                    config.shape().size(),
                                    nll)
                            : String.format(
                                    Locale.ROOT,
                                    "NLL / (%d ln 2) with NLL = %.6f nats, the mean -log p of the model (its"
                                            + " Dequantize layer's -D ln 256 included) over the held-out images",
                                    config.shape().size(),
                                    nll);
            if (config.variationalDequantization()) {
                m.evaluation =
                        String.format(
                                Locale.ROOT,
                                "an upper bound on bits/dim: NLL / (%d ln 2) with NLL = %.6f nats, the mean of"
                                        + " -(log p((v + u) / L) - D ln L - log q(u | v)) over the held-out rows, one"
                                        + " draw u ~ q(u | v) each (the layer's evaluation draw, seeded by the"
                                        + " row's values), L = %d levels",
                                config.shape().size(),
                                nll,
                                "digits".equals(config.dataset) ? FlowData.DIGIT_LEVELS : 256);
            }
        } else {
            m.metric = "nll_nats";
            m.value = nll;
            m.evaluation = "mean -log p(x) in nats over the held-out points";
        }
        m.heldOut = FlowData.describeHeldOut(config);
        m.steps = steps;
        m.wallSeconds = Math.round(seconds * 100) / 100.0;
        m.runs = runs;
        m.command = command;
        m.recipe = recipe(config);
        m.machine = machine();
        m.threads = threads();
        return m;
    }

    /**
     * Evaluates a trained flow on the held-out rows and builds the run's metrics: the NLL, and for
     * uniformly dequantized images the uniform bound too.
     *
     * @param config what was trained
     * @param flow the trained flow, as saved
     * @param heldOut the held-out rows
     * @param steps the steps done
     * @param seconds the training seconds summed over runs
     * @param command the command that ran
     * @return the metrics, without the params hash
     */
    static FlowMetrics evaluate(
            FlowConfig config,
            NormalizingFlow flow,
            NDArray heldOut,
            int steps,
            double seconds,
            String command) {
        FlowMetrics m = of(config, HeldOut.nll(flow, heldOut), steps, seconds, command, 1);
        if (FlowFactory.isImage(config) && !config.variationalDequantization()) {
            m.uniformBound =
                    FlowData.bitsPerDim(
                            config, HeldOut.uniformBound(flow, heldOut, config.heldOutSeed));
        }
        return m;
    }

    /**
     * Plots the training NLL per pass over the data.
     *
     * @param config the config trained
     * @param curve the mean training NLL of each pass
     * @param png the picture to write
     * @throws IOException if it cannot be written
     */
    static void plotCurve(FlowConfig config, java.util.List<Double> curve, Path png)
            throws IOException {
        io.github.djlflows.zoo.plot.Charts.trainingCurve(
                curve,
                java.util.List.of(),
                curve.size(),
                config.family + " on " + config.dataset + " (training NLL per pass over the data)",
                png);
    }

    /**
     * The learning-rate schedule a config names, in words.
     *
     * @param config the config
     * @return e.g. "cosine from 0.002 to 1% of it"
     */
    static String schedule(FlowConfig config) {
        switch (LearningRateSchedule.Kind.fromConfigName(config.schedule)) {
            case FIXED:
                return "fixed learning rate " + config.learningRate;
            case WARMUP_COSINE:
                return "linear warm-up over "
                        + config.warmupSteps
                        + " steps to "
                        + config.learningRate
                        + ", then cosine to 1% of it";
            default:
                return "cosine from " + config.learningRate + " to 1% of it";
        }
    }

    /**
     * A one-line description of the recipe a config names.
     *
     * @param config the config
     * @return the recipe
     */
    static String recipe(FlowConfig config) {
        String schedule = schedule(config);
        String data =
                config.variationalDequantization()
                        ? "variational dequantization: u ~ q(u | x), a conditional flow trained jointly"
                        : "digits".equals(config.dataset)
                                ? "digits dequantized afresh every batch, (v + u) / 17"
                                : FlowData.isDiscrete(config)
                                        ? "pixels dequantized afresh every batch by the model's Dequantize layer"
                                        : config.trainSize
                                                + " points drawn once with seed "
                                                + config.trainSeed;
        String optimizer =
                config.weightDecay > 0
                        ? "AdamW (DJL, decoupled weight decay " + config.weightDecay + ")"
                        : "Adam (DJL)";
        String init =
                config.initFrom == null
                        ? ""
                        : "; each top-level layer that matches one of "
                                + config.initFrom
                                + " (position, class, parameter names and shapes) starts from its parameters";
        String average =
                config.emaDecay > 0
                        ? "; exponential moving average of the weights (decay "
                                + config.emaDecay
                                + ") validated, kept and saved"
                        : "";
        String tails =
                config.latentTailsAfterTraining
                        ? "; trained without the latent tails, which were added after training"
                        : "";
        return String.format(
                Locale.ROOT,
                "%s, %s over %d steps of batch %d, engine seed %d; %s%s%s%s",
                optimizer,
                schedule,
                config.steps,
                config.batchSize,
                config.seed,
                data,
                init,
                average,
                tails);
    }

    private static String machine() {
        String cpu = "unknown CPU";
        int cores = 0;
        Path info = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(info)) {
                for (String line : Files.readAllLines(info)) {
                    if (line.startsWith("model name") && "unknown CPU".equals(cpu)) {
                        cpu = line.substring(line.indexOf(':') + 1).trim();
                    }
                    if (line.startsWith("processor")) {
                        cores++;
                    }
                }
            }
        } catch (IOException e) {
            // keep "unknown CPU"
        }
        return String.format(
                Locale.ROOT,
                "%s, %s cores on the machine, %d visible to the JVM, %s %s, Java %s, %s %s",
                cpu,
                cores > 0 ? Integer.toString(cores) : "?",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion());
    }

    static int threads() {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
            return -1;
        }
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }
}
