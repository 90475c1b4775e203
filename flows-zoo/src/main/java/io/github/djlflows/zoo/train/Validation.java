package io.github.djlflows.zoo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.training.Trainer;
import io.github.djlflows.core.train.BestValidationListener;
import io.github.djlflows.zoo.FlowConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The trainer's validation: every {@code validateEvery} steps it scores the validation set with a
 * {@link BestValidationListener} (which keeps the best weights and says when patience runs out) and
 * stops the run with a {@link ValidationDivergedException} on a non-finite NLL or one more than
 * {@code divergenceNatsPerDim * D} nats above the best.
 */
final class Validation implements AutoCloseable {

    private static final int CHUNK = 1000;

    private final FlowConfig config;
    private final BestValidationListener best;
    private final double margin;
    private int bestStep = -1;
    private int lastStep = -1;
    private Path log;

    Validation(FlowConfig config, NDArray data) {
        this.config = config;
        this.margin = config.divergenceNatsPerDim * config.shape().size();
        ToDoubleFunction<Trainer> nll = BestValidationListener.meanNll(data, CHUNK);
        ToDoubleFunction<Trainer> checked =
                trainer -> {
                    double value = nll.applyAsDouble(trainer);
                    if (!Double.isFinite(value)) {
                        throw new ValidationDivergedException(
                                String.format(
                                        Locale.ROOT,
                                        "training diverged: the validation NLL is %s at step %d (best %s); lower the"
                                                + " learning rate or use a cosine or warm-up schedule",
                                        value,
                                        lastStep,
                                        describeBest()));
                    }
                    return value;
                };
        this.best =
                BestValidationListener.builder()
                        .setScore(checked)
                        .optPatience(config.patience > 0 ? config.patience : Integer.MAX_VALUE)
                        .build();
    }

    /**
     * Appends every validation to a CSV file ({@code step,validation_nll}, nats per sample; the
     * header written when the file is new), so a long or resumed run shows its course.
     *
     * @param file the CSV file
     * @return this
     */
    Validation optLog(Path file) {
        this.log = file;
        return this;
    }

    /**
     * Scores the model after {@code step} steps.
     *
     * @return whether patience ran out (the best weights are then back in the model)
     * @throws ValidationDivergedException on a non-finite or diverging NLL
     */
    boolean validate(Trainer trainer, int step) {
        lastStep = step;
        boolean stop = best.evaluate(trainer);
        if (best.getBestEpoch() == best.getHistory().size() - 1) {
            bestStep = step;
        }
        double value = best.getLast();
        append(step, value);
        if (value > best.getBest() + margin) {
            throw new ValidationDivergedException(
                    String.format(
                            Locale.ROOT,
                            "training diverged: the validation NLL is %.4f nats at step %d, more than %.4g nats"
                                    + " (%.4g per dimension) above its best %s; lower the learning rate or use a"
                                    + " cosine or warm-up schedule, or, when the training loss still falls, regularise"
                                    + " the overfitting model (weightDecay, emaDecay, fewer or smaller layers)",
                            value,
                            step,
                            margin,
                            config.divergenceNatsPerDim,
                            describeBest()));
        }
        return stop;
    }

    private void append(int step, double value) {
        if (log == null) {
            return;
        }
        String line = String.format(Locale.ROOT, "%d,%.6f%n", step, value);
        try {
            if (!Files.exists(log)) {
                Files.writeString(log, "step,validation_nll\n");
            }
            Files.writeString(log, line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log + ": " + e.getMessage(), e);
        }
    }

    /** Says that patience ran out at {@code step}, and where the best was. */
    String patienceMessage(int step) {
        return String.format(
                Locale.ROOT,
                "%nno validation improvement for %d validations: stopping at step %d, best at step %d",
                config.patience,
                step,
                bestStep);
    }

    private String describeBest() {
        return bestStep < 0
                ? "none yet"
                : String.format(Locale.ROOT, "%.4f at step %d", best.getBest(), bestStep);
    }

    /** Puts the best validated weights back into the model. */
    void restoreBest(Trainer trainer) {
        best.restore(trainer);
    }

    /** Whether patience ran out. */
    boolean stopped() {
        return best.isStopped();
    }

    int bestStep() {
        return bestStep;
    }

    double bestValue() {
        return best.getBest();
    }

    @Override
    public void close() {
        best.close();
    }
}
