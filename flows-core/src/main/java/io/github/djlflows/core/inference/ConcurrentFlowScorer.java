package io.github.djlflows.core.inference;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.internal.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores and samples a large batch on {@code N} worker threads over one shared {@link Model}: the
 * rows are cut into {@code N} contiguous chunks, each worker (one intra-op thread by default)
 * handles its chunk with its own {@link Predictor} (predictors are not thread-safe; the model is
 * shared read-only), and the results come back in row order.
 *
 * <p>{@link #logProb} gives the values one predictor gives on the whole batch (each row's
 * log-density does not depend on its batch mates). {@link #sample} draws the whole latent batch
 * from the seed on the calling thread, as {@link NormalizingFlow#sample(NDManager, long, double,
 * long)} does, and only the generative passes run on the workers, so the samples equal that call's.
 * Cost: one pass per chunk, the chunks at the same time; no benefit below a few hundred rows of a
 * small flow, where dispatch dominates.
 *
 * <pre>{@code
 * try (ConcurrentFlowScorer scorer = ConcurrentFlowScorer.builder().setModel(model).optWorkers(2).build()) {
 *     float[] logProb = scorer.logProb(x);
 *     NDArray samples = scorer.sample(manager, 10_000, 1.0, 42L);
 * }
 * }</pre>
 */
public final class ConcurrentFlowScorer implements AutoCloseable {

    private final Model model;
    private final NormalizingFlow flow;
    private final int workers;
    private final ExecutorService pool;
    private final ThreadLocal<Predictor<NDList, NDList>> predictors;
    private final List<Predictor<NDList, NDList>> opened = new ArrayList<>();

    private ConcurrentFlowScorer(Builder builder) {
        Engine.getInstance(); // the per-thread intra-op setting needs a loaded engine
        this.model = builder.model;
        this.flow = (NormalizingFlow) builder.model.getBlock();
        this.workers = builder.workers;
        int intraOp = builder.intraOpThreads;
        this.pool =
                Executors.newFixedThreadPool(
                        workers,
                        task -> {
                            Thread thread =
                                    new Thread(
                                            () -> {
                                                JniUtils.setNumThreads(intraOp);
                                                task.run();
                                            },
                                            "flow-scorer-worker");
                            thread.setDaemon(true);
                            return thread;
                        });
        this.predictors =
                ThreadLocal.withInitial(
                        () -> {
                            Predictor<NDList, NDList> p = model.newPredictor(new NoopTranslator());
                            synchronized (opened) {
                                opened.add(p);
                            }
                            return p;
                        });
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
     * The number of worker threads.
     *
     * @return N
     */
    public int getWorkers() {
        return workers;
    }

    /**
     * The log-density of each row, in row order.
     *
     * @param x data (B, ...)
     * @return log p(x), B values
     */
    public float[] logProb(NDArray x) {
        return run(x, chunk -> predictors.get().predict(new NDList(chunk)).get(2));
    }

    /**
     * Draws {@code n} samples at a temperature from a seed: the same values as {@link
     * NormalizingFlow#sample(NDManager, long, double, long)} with these arguments.
     *
     * @param manager the manager that owns the result
     * @param n the number of samples
     * @param temperature the temperature, positive
     * @param seed the seed
     * @return samples (n, event...)
     */
    public NDArray sample(NDManager manager, long n, double temperature, long seed) {
        Preconditions.checkArgument(
                temperature > 0, "temperature must be positive, got " + temperature);
        Preconditions.checkArgument(n >= 1, "n must be at least 1, got " + n);
        try (NDManager scratch = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scratch, false);
            NDArray z = flow.getBase().sample(store, scratch, n, flow.dataType(), seed);
            NDArray scaled = temperature != 1.0 ? Tensors.mul(z, temperature) : z;
            float[] values =
                    run(
                            scaled,
                            chunk ->
                                    flow.getFlow()
                                            .inverse(
                                                    new ParameterStore(chunk.getManager(), false),
                                                    new NDList(chunk))
                                            .get(0));
            return manager.create(values, z.getShape());
        }
    }

    /** Runs {@code pass} on N contiguous chunks of {@code x} and concatenates the results. */
    private float[] run(NDArray x, ChunkPass pass) {
        long size = x.getShape().get(0);
        int parts = (int) Math.min(workers, size);
        List<Future<float[]>> results = new ArrayList<>(parts);
        List<NDManager> managers = new ArrayList<>(parts);
        try {
            long start = 0;
            for (int w = 0; w < parts; w++) {
                long end = start + size / parts + (w < size % parts ? 1 : 0);
                NDManager chunkManager = x.getManager().newSubManager();
                managers.add(chunkManager);
                NDArray chunk = x.get(start + ":" + end);
                chunk.attach(chunkManager);
                Callable<float[]> task = () -> pass.apply(chunk).toFloatArray();
                results.add(pool.submit(task));
                start = end;
            }
            List<float[]> partial = new ArrayList<>(parts);
            int total = 0;
            for (Future<float[]> result : results) {
                float[] part = result.get();
                partial.add(part);
                total += part.length;
            }
            float[] out = new float[total];
            int offset = 0;
            for (float[] part : partial) {
                System.arraycopy(part, 0, out, offset, part.length);
                offset += part.length;
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the workers ran", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("a worker failed: " + cause, cause);
        } finally {
            for (Future<float[]> result : results) {
                try {
                    result.get();
                } catch (InterruptedException | ExecutionException ignored) {
                    // reported above; wait so no worker still uses a chunk being closed
                }
            }
            managers.forEach(NDManager::close);
        }
    }

    /** Stops the workers and closes their predictors; the model stays open. */
    @Override
    public void close() {
        pool.shutdownNow();
        synchronized (opened) {
            opened.forEach(Predictor::close);
            opened.clear();
        }
    }

    /** One chunk's pass, run on a worker. */
    private interface ChunkPass {
        NDArray apply(NDArray chunk) throws TranslateException;
    }

    /** Builds a {@link ConcurrentFlowScorer}. */
    public static final class Builder {

        private Model model;
        private int workers = Runtime.getRuntime().availableProcessors();
        private int intraOpThreads = 1;

        Builder() {}

        /**
         * Sets the model, whose block must be an initialised {@link NormalizingFlow}.
         *
         * @param model the model
         * @return this builder
         */
        public Builder setModel(Model model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the number of worker threads. Defaults to the available processors.
         *
         * @param workers at least 1
         * @return this builder
         */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /**
         * Sets each worker's intra-op thread count. Defaults to 1.
         *
         * @param intraOpThreads at least 1
         * @return this builder
         */
        public Builder optIntraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        /**
         * Builds the scorer and starts its worker threads.
         *
         * @return the scorer
         */
        public ConcurrentFlowScorer build() {
            Preconditions.checkArgument(model != null, "a model is required");
            Preconditions.checkArgument(
                    model.getBlock() instanceof NormalizingFlow,
                    "the model's block must be a NormalizingFlow, got "
                            + (model.getBlock() == null
                                    ? "none"
                                    : model.getBlock().getClass().getSimpleName()));
            Preconditions.checkArgument(
                    model.getBlock().isInitialized(),
                    "the model's flow is not initialised (train or load it first)");
            Preconditions.checkArgument(workers >= 1, "workers must be at least 1, got " + workers);
            Preconditions.checkArgument(
                    intraOpThreads >= 1,
                    "intra-op threads must be at least 1, got " + intraOpThreads);
            return new ConcurrentFlowScorer(this);
        }
    }
}
