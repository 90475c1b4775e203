package io.github.djlflows.spark;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.ModelNotFoundException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The models of this JVM (driver or executor), loaded on first use and kept for the JVM's life,
 * keyed by their source; with counters of loads and of task predictors opened and closed.
 */
final class ExecutorModels {

    private static final Map<String, LoadedFlowModel> MODELS = new ConcurrentHashMap<>();
    private static final Object LOCK = new Object();
    private static final Map<String, AtomicLong> LOADS = new ConcurrentHashMap<>();
    private static final AtomicLong OPENED = new AtomicLong();
    private static final AtomicLong CLOSED = new AtomicLong();

    private ExecutorModels() {}

    /**
     * The model of a source, loading it if this JVM has not yet; concurrent callers wait for one
     * load. A failed load is not remembered: the next call (a retried task) tries again.
     *
     * @param source the source
     * @return the loaded model
     */
    static LoadedFlowModel get(FlowModelSource source) {
        String key = source.key();
        LoadedFlowModel model = MODELS.get(key);
        if (model != null) {
            return model;
        }
        synchronized (LOCK) {
            model = MODELS.get(key);
            if (model == null) {
                try {
                    model = LoadedFlowModel.load(source);
                } catch (IOException | MalformedModelException | ModelNotFoundException e) {
                    throw new IllegalStateException(
                            "could not load the flow " + key + ": " + e.getMessage(), e);
                }
                LOADS.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                MODELS.put(key, model);
            }
            return model;
        }
    }

    /** How many times this JVM has loaded the model of a source. */
    static long loads(FlowModelSource source) {
        AtomicLong n = LOADS.get(source.key());
        return n == null ? 0 : n.get();
    }

    /** Task predictors opened by this JVM so far. */
    static long predictorsOpened() {
        return OPENED.get();
    }

    /** Task predictors closed by this JVM so far. */
    static long predictorsClosed() {
        return CLOSED.get();
    }

    static void opened() {
        OPENED.incrementAndGet();
    }

    static void closed() {
        CLOSED.incrementAndGet();
    }
}
