package io.github.djlflows.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.EarlyStoppingListener.EarlyStoppedException;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.Pair;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.NormalizingFlow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A {@link TrainingListener} that scores the model on a validation set at each epoch end, keeps a
 * copy of the weights with the lowest score seen so far, and stops training when the score has not
 * improved on that best for {@code patience} evaluations, putting the best weights back.
 *
 * <p>Unlike DJL's {@code EarlyStoppingListener}, which compares each epoch with the previous one
 * and restores nothing, this compares with the best so far, works for negative scores (densities
 * above 1), and leaves the best weights in the model: after {@link #onEpoch} stops training, or
 * after {@link #onTrainingEnd} (called when the trainer closes), the model holds the weights of
 * {@link #getBestEpoch()}.
 *
 * <p>With {@code EasyTrain.fit}, stopping is signalled as DJL's {@link EarlyStoppedException}
 * thrown from {@code onEpoch}; catch it around {@code fit}. A loop of one's own calls {@link
 * #evaluate(Trainer)} at each evaluation point instead, which returns {@code true} when training
 * should stop and throws nothing. An "epoch" here is one call, whatever the loop counts.
 *
 * <p>Snapshots are full copies of the parameters in a manager of the listener's own, on the
 * parameters' device; {@link #close()} (or {@link #onTrainingEnd}) frees them.
 *
 * <pre>{@code
 * BestValidationListener best = BestValidationListener.builder()
 *         .setScore(BestValidationListener.meanNll(validation, 1024))
 *         .optPatience(10)
 *         .build();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(new NegativeLogLikelihood())
 *         .addTrainingListeners(best);
 * try {
 *     EasyTrain.fit(trainer, 500, train, null);
 * } catch (EarlyStoppingListener.EarlyStoppedException stopped) {
 *     // the model now holds the weights of best.getBestEpoch()
 * }
 * }</pre>
 */
public final class BestValidationListener extends TrainingListenerAdapter implements AutoCloseable {

    private final ToDoubleFunction<Trainer> score;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;

    private final List<Double> history = new ArrayList<>();
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch = -1;
    private int sinceBest;
    private boolean stopped;
    private NDManager snapshotManager;
    private List<Pair<Parameter, NDArray>> snapshot;

    private BestValidationListener(Builder builder) {
        this.score = builder.score;
        this.patience = builder.patience;
        this.minDelta = builder.minDelta;
        this.restoreBest = builder.restoreBest;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A score: the mean negative log-likelihood in nats of {@code data} under the trainer's model,
     * which must be a {@link NormalizingFlow}, evaluated in chunks of {@code batchSize} rows
     * without gradients (layers run in inference mode).
     *
     * @param data the validation samples, (n, ...), n &gt; 0
     * @param batchSize rows per chunk, positive
     * @return the score function
     */
    public static ToDoubleFunction<Trainer> meanNll(NDArray data, int batchSize) {
        Preconditions.checkArgument(batchSize > 0, "batch size must be positive, got " + batchSize);
        long n = data.getShape().get(0);
        Preconditions.checkArgument(
                n > 0, "the validation set is empty (shape " + data.getShape() + ")");
        return trainer -> {
            Block block = trainer.getModel().getBlock();
            if (!(block instanceof NormalizingFlow)) {
                throw new IllegalArgumentException(
                        "meanNll needs a NormalizingFlow model, got " + block.getClass().getName());
            }
            return meanNll((NormalizingFlow) block, data, batchSize);
        };
    }

    /**
     * The mean negative log-likelihood in nats of {@code data} under {@code flow}, evaluated in
     * float64 in chunks of {@code batchSize} rows without gradients, so large sets need bounded
     * memory.
     *
     * @param flow the model
     * @param data the samples, (n, ...), n &gt; 0
     * @param batchSize rows per chunk, positive
     * @return {@code -mean log p(x)}
     */
    public static double meanNll(NormalizingFlow flow, NDArray data, int batchSize) {
        Preconditions.checkArgument(batchSize > 0, "batch size must be positive, got " + batchSize);
        long n = data.getShape().get(0);
        Preconditions.checkArgument(n > 0, "the data set is empty (shape " + data.getShape() + ")");
        double sum = 0;
        for (long start = 0; start < n; start += batchSize) {
            long end = Math.min(n, start + batchSize);
            try (NDManager chunk = data.getManager().newSubManager()) {
                NDArray x = data.get(start + ":" + end);
                x.attach(chunk);
                sum += flow.logProb(x).toType(DataType.FLOAT64, false).sum().getDouble();
            }
        }
        return -sum / n;
    }

    /**
     * Scores the model once, keeps its weights when they are the best so far, and says whether
     * training should stop (no improvement for {@code patience} calls). When it returns {@code
     * true} the best weights are already back in the model.
     *
     * @param trainer the trainer whose model is scored
     * @return whether to stop
     * @throws NonFiniteLossException if the score is NaN (a diverged model has no best weights)
     */
    public boolean evaluate(Trainer trainer) {
        double value = score.applyAsDouble(trainer);
        int epoch = history.size();
        history.add(value);
        if (Double.isNaN(value)) {
            throw new NonFiniteLossException(
                    "the validation score is NaN at evaluation "
                            + (epoch + 1)
                            + " (counting from 1); expected a number");
        }
        if (value < best - minDelta) {
            best = value;
            bestEpoch = epoch;
            sinceBest = 0;
            keep(trainer);
        } else {
            sinceBest++;
        }
        if (sinceBest >= patience) {
            stopped = true;
            if (restoreBest) {
                restore(trainer);
            }
        }
        return stopped;
    }

    /**
     * {@inheritDoc}
     *
     * @throws EarlyStoppedException when training should stop (the best weights are restored)
     */
    @Override
    public void onEpoch(Trainer trainer) {
        if (stopped) {
            return;
        }
        if (evaluate(trainer)) {
            throw new EarlyStoppedException(
                    history.size(),
                    String.format(
                            "validation score has not improved on %.6g (evaluation %d) for %d"
                                    + " evaluations; the best weights are restored",
                            best, bestEpoch, patience));
        }
    }

    /** Puts the best weights back (when restoring is on) and frees the snapshot. */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (restoreBest) {
            restore(trainer);
        }
        close();
    }

    /**
     * Copies the best weights seen so far into the model; does nothing before the first evaluation
     * or after {@link #close()}.
     *
     * @param trainer the trainer whose model receives them
     */
    public void restore(Trainer trainer) {
        if (snapshot == null) {
            return;
        }
        for (Pair<Parameter, NDArray> kept : snapshot) {
            kept.getKey().getArray().set(new NDIndex("..."), kept.getValue());
        }
    }

    private void keep(Trainer trainer) {
        if (snapshotManager == null) {
            snapshotManager = NDManager.newBaseManager(trainer.getDevices()[0]);
        }
        List<Pair<Parameter, NDArray>> next = new ArrayList<>();
        try (NDManager fresh = snapshotManager.newSubManager()) {
            for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
                Parameter parameter = p.getValue();
                if (!parameter.isInitialized()) {
                    continue;
                }
                NDArray array = parameter.getArray();
                NDArray copy =
                        fresh.create(array.getShape(), array.getDataType(), array.getDevice());
                copy.set(new NDIndex("..."), array);
                next.add(new Pair<>(parameter, copy));
            }
            for (Pair<Parameter, NDArray> kept : next) {
                kept.getValue().attach(snapshotManager);
            }
        }
        if (snapshot != null) {
            for (Pair<Parameter, NDArray> old : snapshot) {
                old.getValue().close();
            }
        }
        snapshot = next;
    }

    /**
     * The validation scores so far, one per evaluation.
     *
     * @return an unmodifiable view
     */
    public List<Double> getHistory() {
        return Collections.unmodifiableList(history);
    }

    /**
     * The lowest score so far ({@code +Infinity} before the first evaluation).
     *
     * @return the best score
     */
    public double getBest() {
        return best;
    }

    /**
     * The 0-based evaluation that gave {@link #getBest()} (-1 before the first).
     *
     * @return the best evaluation's index
     */
    public int getBestEpoch() {
        return bestEpoch;
    }

    /**
     * The latest score (NaN before the first evaluation).
     *
     * @return the latest score
     */
    public double getLast() {
        return history.isEmpty() ? Double.NaN : history.get(history.size() - 1);
    }

    /**
     * Whether patience ran out.
     *
     * @return whether training was told to stop
     */
    public boolean isStopped() {
        return stopped;
    }

    /** Frees the snapshot of the best weights. */
    @Override
    public void close() {
        if (snapshotManager != null) {
            snapshotManager.close();
            snapshotManager = null;
        }
        snapshot = null;
    }

    /** Builds a {@link BestValidationListener}. */
    public static final class Builder {

        private ToDoubleFunction<Trainer> score;
        private int patience = 10;
        private double minDelta;
        private boolean restoreBest = true;

        private Builder() {}

        /**
         * Sets the score to minimise, computed from the trainer (e.g. {@link #meanNll}). Required.
         *
         * @param score the score function
         * @return this builder
         */
        public Builder setScore(ToDoubleFunction<Trainer> score) {
            this.score = score;
            return this;
        }

        /**
         * Sets how many evaluations without improvement stop training. Defaults to 10.
         *
         * @param patience a positive count
         * @return this builder
         */
        public Builder optPatience(int patience) {
            this.patience = patience;
            return this;
        }

        /**
         * Sets the least decrease that counts as an improvement. Defaults to 0.
         *
         * @param minDelta a non-negative amount, in the score's units
         * @return this builder
         */
        public Builder optMinDelta(double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        /**
         * Sets whether the best weights are put back when training stops or ends. Defaults to true.
         *
         * @param restoreBest whether to restore
         * @return this builder
         */
        public Builder optRestoreBest(boolean restoreBest) {
            this.restoreBest = restoreBest;
            return this;
        }

        /**
         * Builds the listener.
         *
         * @return the listener
         * @throws IllegalArgumentException if the score is missing or a setting is out of range
         */
        public BestValidationListener build() {
            Preconditions.checkArgument(score != null, "setScore is required");
            Preconditions.checkArgument(patience > 0, "patience must be positive, got " + patience);
            Preconditions.checkArgument(
                    minDelta >= 0 && Double.isFinite(minDelta),
                    "minDelta must be finite and non-negative, got " + minDelta);
            return new BestValidationListener(this);
        }
    }
}
