package io.github.djlflows.zoo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average (Polyak averaging) of a block's trainable weights, kept beside
 * them: after every optimizer step {@link #update} moves the average towards the weights,
 *
 * <pre>
 * a ← β_t a + (1 − β_t) w,    β_t = min(β, (1 + t) / (10 + t))   (t: updates so far)
 * </pre>
 *
 * so the first updates follow the weights closely and later ones average over about 1 / (1 − β)
 * steps. {@link #swap} exchanges the weights and the average in place (twice restores them), so
 * {@link ArtifactTrainer} validates, keeps and saves the average while training continues on the
 * raw weights (the config's {@code emaDecay}).
 *
 * <p>Cost: two in-place operations per parameter and step; one extra copy of the weights.
 */
final class WeightAverage implements AutoCloseable {

    private final double decay;
    private final List<Pair<NDArray, NDArray>> pairs = new ArrayList<>();
    private NDManager manager;
    private long updates;

    /**
     * Creates an average that starts at the first {@link #step}.
     *
     * @param decay β in [0, 1); 0 for none (every method then does nothing)
     */
    WeightAverage(double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
    }

    /**
     * Call after each optimizer step: the first call starts the average at the block's trainable
     * weights (they exist from then on, in either training loop), later ones move it towards them.
     *
     * @param block the trained block
     */
    void step(Block block) {
        if (decay == 0) {
            return;
        }
        if (manager == null) {
            start(block);
            return;
        }
        float beta = (float) nextDecay();
        updates++;
        for (Pair<NDArray, NDArray> p : pairs) {
            // a = beta (a - w) + w, in place on a
            p.getValue().subi(p.getKey()).muli(beta).addi(p.getKey());
        }
    }

    private void start(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.isInitialized() || !parameter.requiresGradient()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            if (manager == null) {
                manager = NDManager.newBaseManager(weight.getDevice());
            }
            NDArray average =
                    manager.create(weight.getShape(), weight.getDataType(), weight.getDevice());
            average.set(new NDIndex("..."), weight);
            pairs.add(new Pair<>(weight, average));
        }
        if (manager == null) {
            throw new IllegalArgumentException("the block has no initialized trainable parameter");
        }
    }

    /** The decay of the next update: β_t = min(β, (1 + t) / (10 + t)). */
    double nextDecay() {
        return Math.min(decay, (1.0 + updates) / (10.0 + updates));
    }

    /**
     * Validates the average (so it is what the validation keeps), then puts the weights back; the
     * weights themselves before the first step or without an average.
     *
     * @return what {@link Validation#validate} returns
     */
    boolean validate(Validation validation, Trainer trainer, int step) {
        if (manager == null) {
            return validation.validate(trainer, step);
        }
        swap();
        try {
            return validation.validate(trainer, step);
        } finally {
            swap();
        }
    }

    /** Exchanges the weights and the average in place; a second call undoes the first. */
    void swap() {
        try (NDManager scratch = manager.newSubManager()) {
            for (Pair<NDArray, NDArray> p : pairs) {
                NDArray weight = p.getKey();
                NDArray kept = scratch.create(weight.getShape(), weight.getDataType());
                kept.set(new NDIndex("..."), weight);
                weight.set(new NDIndex("..."), p.getValue());
                p.getValue().set(new NDIndex("..."), kept);
            }
        }
    }

    /** Copies the average into the weights (the end of a run without validation). */
    void apply() {
        for (Pair<NDArray, NDArray> p : pairs) {
            p.getKey().set(new NDIndex("..."), p.getValue());
        }
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
