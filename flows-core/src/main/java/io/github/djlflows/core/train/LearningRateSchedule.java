package io.github.djlflows.core.train;

import ai.djl.training.tracker.Tracker;
import ai.djl.util.Preconditions;
import java.util.Locale;

/**
 * A learning-rate schedule over a fixed number of training steps, turned into a DJL {@link Tracker}
 * for any optimizer ({@code Optimizer.adam().optLearningRateTracker(schedule.toTracker())}).
 *
 * <pre>
 * FIXED:          lr(t) = base
 * COSINE:         lr(t) = final + (base - final) (1 + cos(pi t / T)) / 2           t = 0 .. T
 * WARMUP_COSINE:  lr(t) = base (t + 1) / W  for t &lt; W, then the cosine over t - W, T - W
 * final = base * finalFraction;  t = the 0-based index of the update; past T the rate stays final
 * </pre>
 *
 * <p>DJL's optimizers count updates from 1 per parameter ({@code numUpdate}); the tracker maps
 * update {@code n} to step {@code t = n - 1 + startStep}, so a run resumed after {@code k} steps
 * with {@code optStartStep(k)} continues the schedule where it stopped, while the optimizer's own
 * count (and Adam's bias correction with its fresh moments) starts again at 1.
 *
 * <pre>{@code
 * Tracker lr = LearningRateSchedule.builder()
 *         .setBaseRate(2e-3f).setTotalSteps(3000).optKind(LearningRateSchedule.Kind.COSINE)
 *         .build().toTracker();
 * }</pre>
 */
public final class LearningRateSchedule {

    /** The shape of a schedule. */
    public enum Kind {
        /** A constant rate. */
        FIXED,
        /** A half-cosine from the base rate down to the final rate over the total steps. */
        COSINE,
        /** A linear warm-up to the base rate, then the half-cosine over the remaining steps. */
        WARMUP_COSINE;

        /**
         * The name used in configs: {@code fixed}, {@code cosine}, {@code warmup-cosine}.
         *
         * @return the config name
         */
        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * Parses a config name.
         *
         * @param name {@code fixed}, {@code cosine} or {@code warmup-cosine}
         * @return the kind
         * @throws IllegalArgumentException for another name, naming the known ones
         */
        public static Kind fromConfigName(String name) {
            for (Kind kind : values()) {
                if (kind.configName().equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException(
                    "unknown learning-rate schedule '"
                            + name
                            + "', expected fixed, cosine or warmup-cosine");
        }
    }

    private final Kind kind;
    private final float baseRate;
    private final float finalRate;
    private final int totalSteps;
    private final int warmupSteps;
    private final int startStep;

    private LearningRateSchedule(Builder builder) {
        this.kind = builder.kind;
        this.baseRate = builder.baseRate;
        this.finalRate = builder.baseRate * builder.finalFraction;
        this.totalSteps = builder.totalSteps;
        this.warmupSteps = builder.warmupSteps;
        this.startStep = builder.startStep;
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
     * The rate at a 0-based training step (not shifted by the start step).
     *
     * @param step the step, from 0
     * @return the learning rate
     */
    public float rateAt(int step) {
        switch (kind) {
            case FIXED:
                return baseRate;
            case COSINE:
                return cosine(step, totalSteps);
            case WARMUP_COSINE:
                if (step < warmupSteps) {
                    return baseRate * (step + 1) / warmupSteps;
                }
                return cosine(step - warmupSteps, totalSteps - warmupSteps);
            default:
                throw new IllegalStateException("unhandled schedule " + kind);
        }
    }

    private float cosine(int step, int steps) {
        if (step >= steps) {
            return finalRate;
        }
        double progress = (double) step / steps;
        return (float)
                (finalRate + (baseRate - finalRate) * (1 + Math.cos(Math.PI * progress)) / 2);
    }

    /**
     * The schedule as a DJL tracker: update {@code n} (from 1) gets {@code rateAt(n - 1 +
     * startStep)}.
     *
     * @return the tracker
     */
    public Tracker toTracker() {
        return numUpdate -> rateAt(Math.max(0, numUpdate - 1) + startStep);
    }

    /**
     * Returns the kind.
     *
     * @return the kind
     */
    public Kind getKind() {
        return kind;
    }

    /** Builds a {@link LearningRateSchedule}. */
    public static final class Builder {

        private Kind kind = Kind.COSINE;
        private float baseRate = Float.NaN;
        private float finalFraction = 0.01f;
        private int totalSteps = -1;
        private int warmupSteps;
        private int startStep;

        private Builder() {}

        /**
         * Sets the base (peak) learning rate.
         *
         * @param baseRate the rate, positive
         * @return this builder
         */
        public Builder setBaseRate(float baseRate) {
            this.baseRate = baseRate;
            return this;
        }

        /**
         * Sets the number of steps the schedule spans.
         *
         * @param totalSteps the steps, positive
         * @return this builder
         */
        public Builder setTotalSteps(int totalSteps) {
            this.totalSteps = totalSteps;
            return this;
        }

        /**
         * Sets the shape. Defaults to {@link Kind#COSINE}.
         *
         * @param kind the shape
         * @return this builder
         */
        public Builder optKind(Kind kind) {
            this.kind = kind;
            return this;
        }

        /**
         * Sets the final rate as a fraction of the base rate (cosine kinds). Defaults to 0.01.
         *
         * @param finalFraction the fraction, in [0, 1]
         * @return this builder
         */
        public Builder optFinalFraction(float finalFraction) {
            this.finalFraction = finalFraction;
            return this;
        }

        /**
         * Sets the warm-up length ({@link Kind#WARMUP_COSINE}). Defaults to 0.
         *
         * @param warmupSteps the steps, in [0, totalSteps)
         * @return this builder
         */
        public Builder optWarmupSteps(int warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        /**
         * Sets the step the tracker starts at: the steps already done by a resumed run. Defaults to
         * 0.
         *
         * @param startStep the steps done, non-negative
         * @return this builder
         */
        public Builder optStartStep(int startStep) {
            this.startStep = startStep;
            return this;
        }

        /**
         * Builds the schedule.
         *
         * @return the schedule
         * @throws IllegalArgumentException when a value is out of range, naming it
         */
        public LearningRateSchedule build() {
            Preconditions.checkArgument(kind != null, "a schedule kind is required");
            Preconditions.checkArgument(
                    baseRate > 0 && Float.isFinite(baseRate),
                    "base learning rate must be positive and finite, got " + baseRate);
            Preconditions.checkArgument(
                    totalSteps > 0, "total steps must be positive, got " + totalSteps);
            Preconditions.checkArgument(
                    finalFraction >= 0 && finalFraction <= 1,
                    "final fraction must be in [0, 1], got " + finalFraction);
            Preconditions.checkArgument(
                    warmupSteps >= 0 && warmupSteps < totalSteps,
                    "warm-up steps must be in [0, " + totalSteps + "), got " + warmupSteps);
            Preconditions.checkArgument(
                    kind == Kind.WARMUP_COSINE || warmupSteps == 0,
                    "warm-up steps need the warmup-cosine schedule, got " + kind.configName());
            Preconditions.checkArgument(
                    startStep >= 0, "start step must be non-negative, got " + startStep);
            return new LearningRateSchedule(this);
        }
    }
}
