package io.github.djlflows.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.internal.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam that updates all parameters of a model as one flat vector: a drop-in replacement for DJL's
 * {@link ai.djl.training.optimizer.Adam} in a {@link ai.djl.training.Trainer}, with the same update
 * rule and the same options, and a fraction of its per-step cost on models with many small
 * parameters (flows: dozens of small conditioner layers).
 *
 * <pre>
 * g = rescale * grad  (clipped to [-clip, clip] when clip &gt; 0)  + weightDecay * w
 * m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2
 * w = w - lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + eps)
 * </pre>
 *
 * <p>DJL's trainer calls the optimizer once per parameter, and DJL's Adam issues about a dozen
 * native operations for each. This optimizer learns the trainer's parameter order during the first
 * step (updated parameter by parameter, exactly as above); from the second step on it only collects
 * each gradient and, at the last parameter, updates the moments of all parameters in one flat pass
 * and writes each parameter's share back in place. The moments start at zero, as in DJL's Adam;
 * gradient clipping is symmetric (DJL's Adam clips from above only).
 *
 * <p>The parameter set must stay the same from step to step (it does for any fixed model); a
 * parameter that first appears after the first step is an {@link IllegalStateException}.
 *
 * <pre>{@code
 * Optimizer adam = FusedAdam.builder().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
 * TrainingConfig config = new DefaultTrainingConfig(new NegativeLogLikelihood()).optOptimizer(adam);
 * }</pre>
 */
public class FusedAdam extends Optimizer {

    private final ParameterTracker learningRateTracker;
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    // First step: per-parameter state, and the order in which the trainer visits parameters.
    private final Map<String, NDArray[]> firstStepMoments = new HashMap<>();
    private final List<String> order = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();

    // Later steps: flat state and detached flat views of every weight, in trainer order.
    private boolean fused;
    private NDArray mean;
    private NDArray variance;
    private NDArray[] weightViews;
    private long[] splits;
    private NDArray[] pending;
    private int next;
    private int step;

    /**
     * Creates the optimizer from a builder.
     *
     * @param builder the configured builder
     */
    protected FusedAdam(Builder builder) {
        super(builder);
        this.learningRateTracker = builder.learningRateTracker;
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
    }

    /**
     * Creates a builder; the defaults are DJL's Adam defaults (learning rate 1e-3, betas 0.9 and
     * 0.999, epsilon 1e-8).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        if (!fused && firstStepMoments.containsKey(parameterId)) {
            // The first parameter of the second step: the order is known now.
            fuse();
        }
        if (fused) {
            collect(parameterId, weight, grad);
        } else {
            updateOne(parameterId, weight, grad);
        }
    }

    /** The first step: the plain per-parameter rule, recording the order. */
    private void updateOne(String parameterId, NDArray weight, NDArray grad) {
        NDArray[] moments = {weight.zerosLike(), weight.zerosLike()};
        firstStepMoments.put(parameterId, moments);
        order.add(parameterId);
        weights.add(weight);
        float lr = learningRateTracker.getNewValue(parameterId, 1);
        try (NDScope ignored = new NDScope()) {
            NDArray detached = weight.stopGradient();
            NDArray g = preprocess(grad.duplicate(), detached);
            detached.subi(moments(moments[0], moments[1], g, 1, lr));
        }
        zeroGradient(weight);
    }

    /** Switches to the flat state: concatenates the first step's moments in trainer order. */
    private void fuse() {
        int n = order.size();
        NDList means = new NDList(n);
        NDList variances = new NDList(n);
        weightViews = new NDArray[n];
        splits = new long[n - 1];
        long offset = 0;
        DataType type = weights.get(0).getDataType();
        for (int i = 0; i < n; i++) {
            NDArray w = weights.get(i);
            if (w.getDataType() != type || !w.getDevice().equals(weights.get(0).getDevice())) {
                throw new IllegalStateException(
                        "FusedAdam needs every parameter in one data type and on one device, got "
                                + type
                                + " on "
                                + weights.get(0).getDevice()
                                + " and "
                                + w.getDataType()
                                + " on "
                                + w.getDevice()
                                + " (parameter "
                                + order.get(i)
                                + "); use DJL's Adam for such models");
            }
            NDArray[] moments = firstStepMoments.get(order.get(i));
            means.add(moments[0].reshape(-1));
            variances.add(moments[1].reshape(-1));
            NDArray detached = w.stopGradient();
            weightViews[i] = detached.reshape(-1);
            detached.close();
            if (i > 0) {
                splits[i - 1] = offset;
            }
            offset += w.size();
        }
        mean = NDArrays.concat(means);
        variance = NDArrays.concat(variances);
        means.close();
        variances.close();
        for (NDArray[] moments : firstStepMoments.values()) {
            moments[0].close();
            moments[1].close();
        }
        pending = new NDArray[n];
        step = 1;
        next = 0;
        fused = true;
    }

    /** Later steps: keeps a flat view of each gradient; the last one triggers the update. */
    private void collect(String parameterId, NDArray weight, NDArray grad) {
        if (next >= order.size() || !order.get(next).equals(parameterId)) {
            throw new IllegalStateException(
                    "FusedAdam expected parameter "
                            + (next < order.size()
                                    ? order.get(next)
                                    : "(none: the step is complete)")
                            + " but the trainer updated "
                            + parameterId
                            + ": the parameter set changed after the first step; use DJL's Adam"
                            + " for models whose parameters change during training");
        }
        // A view keeps the gradient's storage alive after the trainer closes its copy.
        pending[next++] = grad.reshape(-1);
        zeroGradient(weight);
        if (next == order.size()) {
            next = 0;
            updateAll(parameterId);
        }
    }

    private void updateAll(String lastId) {
        step++;
        float lr = learningRateTracker.getNewValue(lastId, step);
        try (NDScope ignored = new NDScope()) {
            NDArray g = NDArrays.concat(new NDList(pending));
            for (NDArray view : pending) {
                view.close();
            }
            NDArray flatWeights =
                    getWeightDecay() != 0f ? NDArrays.concat(new NDList(weightViews)) : null;
            NDArray update = moments(mean, variance, preprocess(g, flatWeights), step, lr);
            NDList parts = splits.length == 0 ? new NDList(update) : update.split(splits);
            for (int i = 0; i < weightViews.length; i++) {
                weightViews[i].subi(parts.get(i));
            }
        }
    }

    /**
     * Rescales, clips and adds weight decay, in place on {@code g} (which the caller owns); {@code
     * weight} is detached and has g's shape (null when there is no weight decay).
     */
    private NDArray preprocess(NDArray g, NDArray weight) {
        if (rescaleGrad != 1f) {
            g.muli(Tensors.shared(g, rescaleGrad));
        }
        if (clipGrad > 0f) {
            // clip(Number, Number) builds both bounds from Java on every call (~90 us on 32k
            // values)
            g = g.maximum(Tensors.shared(g, -clipGrad)).minimum(Tensors.shared(g, clipGrad));
        }
        float weightDecay = getWeightDecay();
        if (weightDecay != 0f) {
            g.addi(weight.mul(Tensors.shared(weight, weightDecay)));
        }
        return g;
    }

    /** Updates the moments in place and returns the step to subtract; consumes {@code g}. */
    private NDArray moments(NDArray m, NDArray v, NDArray g, int t, float lr) {
        double biasCorrection = Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        float scaled = (float) (lr * biasCorrection);
        Preconditions.checkArgument(
                Float.isFinite(scaled), "learning rate " + lr + " gives a non-finite Adam step");
        // shared constants for the fixed factors (a Java number costs DJL a direct buffer and a
        // from_blob per use); the step size changes every step, so it stays a number
        m.muli(Tensors.shared(m, beta1)).addi(g.mul(Tensors.shared(g, 1f - beta1)));
        v.muli(Tensors.shared(v, beta2)).addi(g.muli(g).muli(Tensors.shared(g, 1f - beta2)));
        return m.div(v.sqrt().addi(Tensors.shared(v, epsilon))).muli(scaled);
    }

    private static void zeroGradient(NDArray weight) {
        if (weight instanceof PtNDArray) {
            JniUtils.zeroGrad((PtNDArray) weight);
        } else {
            try (NDArray gradient = weight.getGradient()) {
                gradient.set(new NDIndex("..."), 0);
            }
        }
    }

    /**
     * Returns the number of optimizer steps taken so far (DJL's trainer calls {@link #update} once
     * per parameter per step).
     *
     * @return the step count
     */
    public int getStepCount() {
        return fused ? step : order.isEmpty() ? 0 : 1;
    }

    /** Builds a {@link FusedAdam}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRateTracker = Tracker.fixed(0.001f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning rate tracker. Defaults to a fixed 1e-3.
         *
         * @param learningRateTracker the tracker
         * @return this builder
         */
        public Builder optLearningRateTracker(ParameterTracker learningRateTracker) {
            this.learningRateTracker = learningRateTracker;
            return this;
        }

        /**
         * Sets the decay of the first moment. Defaults to 0.9.
         *
         * @param beta1 in [0, 1)
         * @return this builder
         */
        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Sets the decay of the second moment. Defaults to 0.999.
         *
         * @param beta2 in [0, 1)
         * @return this builder
         */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets the epsilon added to the root of the second moment. Defaults to 1e-8.
         *
         * @param epsilon positive
         * @return this builder
         */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public FusedAdam build() {
            Preconditions.checkArgument(
                    beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
            Preconditions.checkArgument(
                    beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
            Preconditions.checkArgument(epsilon > 0, "epsilon must be positive, got " + epsilon);
            Preconditions.checkArgument(
                    learningRateTracker != null, "a learning rate tracker is required");
            return new FusedAdam(this);
        }
    }
}
