package io.github.djlflows.core.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.internal.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Data-parallel training in one JVM: each batch is cut into {@code N} contiguous shards, {@code N}
 * worker threads (each with its own intra-op thread count) run forward and backward on their shard
 * at the same time, and the shard gradients are summed, in worker order, into one optimizer update
 * of the shared parameters.
 *
 * <pre>
 * loss = sum_w (n_w / B) * loss(shard_w)     (= the full batch's mean loss)
 * grad = sum_w grad_w                         (summed in worker order 0..N-1)
 * </pre>
 *
 * <p>So one step does the mathematics of one single-worker step on the whole batch (the same
 * gradient up to float rounding), and a run is bit-reproducible for a fixed {@code N}, seed and
 * intra-op thread count.
 *
 * <p>Why not DJL's own multi-device path ({@code Trainer} with several devices and {@code
 * EasyTrain.trainBatch}): on the PyTorch engine the CPU is one device ({@code Device.cpu()} takes
 * no index, and an array moved to {@code Device.of("cpu", 1)} reports {@code cpu()}, so a parameter
 * store cannot tell two CPU "devices" apart), {@code EasyTrain.trainBatch} does not wait for the
 * futures it starts, and its splits would share one {@code GradientCollector} (one per JVM) whose
 * grad mode is set only on the thread that opened it (PyTorch's grad mode is thread-local). This
 * trainer instead gives each worker a <em>replica</em> of every trainable parameter: a separate
 * autograd leaf sharing the parameter's storage, so the optimizer's in-place update is seen by
 * every replica at once and each worker's backward writes only its own gradients (no lock, no
 * order-dependent accumulation). Each worker enables grad mode on its own thread and runs the
 * engine's backward directly; no {@code GradientCollector} is opened, so the one-per-JVM limit does
 * not apply. The gradient sum and the optimizer update run on worker 0's thread once every shard is
 * done, at the workers' intra-op setting.
 *
 * <p>The first batch also runs once through the model on the calling thread (training mode, no
 * gradient), so that data-dependent initialisations ({@code ActNorm}) see the whole batch as in
 * single-worker training, and lazily built constants exist before the workers start. Layers whose
 * training pass draws random numbers ({@code Dequantize}) or updates batch statistics ({@code
 * BatchNormFlow}) work, but their draws or statistics depend on thread timing and the shard, so
 * such a model is not bit-reproducible. Works on the PyTorch engine only.
 *
 * <pre>{@code
 * try (DataParallelTrainer trainer = DataParallelTrainer.builder().setModel(model).optWorkers(2).build()) {
 *     float loss = trainer.step(batch);
 * }
 * }</pre>
 */
public final class DataParallelTrainer implements AutoCloseable {

    private final Model model;
    private final Block block;
    private final Optimizer optimizer;
    private final Loss loss;
    private final int workers;
    private final ExecutorService pool;
    private WorkerReplicas replicas;
    private long steps;

    private DataParallelTrainer(Builder builder) {
        Engine.getInstance(); // the per-thread intra-op setting needs a loaded engine
        this.model = builder.model;
        this.block = builder.model.getBlock();
        this.optimizer = builder.optimizer;
        this.loss = builder.loss;
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
                                            "data-parallel-worker");
                            thread.setDaemon(true);
                            return thread;
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
     * The number of steps taken.
     *
     * @return the step count
     */
    public long getStepCount() {
        return steps;
    }

    /**
     * Takes one optimizer step on {@code batch}; labels are not used (the loss sees each shard as
     * its own label, which {@link NegativeLogLikelihood} ignores).
     *
     * @param batch the batch, (B, ...); a batch of fewer rows than workers (e.g. the last of an
     *     epoch) is split across B workers, a row each
     * @return the batch's mean loss before the update
     */
    public float step(NDArray batch) {
        long size = batch.getShape().get(0);
        Preconditions.checkArgument(size > 0, "a batch needs at least one row, got none");
        int active = (int) Math.min(workers, size);
        if (replicas == null) {
            replicas = prepare(batch);
        }
        List<Future<Double>> results = new ArrayList<>(workers);
        List<NDManager> shardManagers = new ArrayList<>(workers);
        try {
            List<Callable<Double>> shards = new ArrayList<>(workers);
            long start = 0;
            for (int w = 0; w < active; w++) {
                long end = start + size / active + (w < size % active ? 1 : 0);
                NDManager shardManager = replicas.manager(w).newSubManager();
                shardManagers.add(shardManager);
                NDArray shard = batch.get(start + ":" + end);
                shard.attach(shardManager);
                double weight = (double) (end - start) / size;
                ParameterStore store = replicas.store(w);
                shards.add(() -> shardStep(store, shard, weight));
                start = end;
            }
            for (int w = 1; w < active; w++) {
                results.add(pool.submit(shards.get(w)));
            }
            List<Future<Double>> others = new ArrayList<>(results);
            // Worker 0 also sums the losses and, once every shard is done, takes the update: on a
            // worker thread, so it runs at the workers' intra-op setting (not the caller's: the
            // engine's default on the loading thread is every core), and with one hand-off less.
            Future<Double> lead =
                    pool.submit(
                            () -> {
                                double total = shards.get(0).call();
                                for (Future<Double> other : others) {
                                    total += other.get();
                                }
                                if (!Double.isFinite(total)) {
                                    throw new NonFiniteLossException(
                                            "the loss became "
                                                    + total
                                                    + " at step "
                                                    + (steps + 1)
                                                    + ": training stopped");
                                }
                                replicas.update(optimizer, model.getNDManager(), active);
                                return total;
                            });
            results.add(lead);
            double total = lead.get();
            steps++;
            return (float) total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the workers ran", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof ExecutionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("a worker failed", cause);
        } finally {
            for (Future<Double> result : results) {
                try {
                    result.get();
                } catch (InterruptedException | ExecutionException ignored) {
                    // reported above; wait so no worker still uses a shard being closed
                }
            }
            shardManagers.forEach(NDManager::close);
            replicas.zeroGradients();
        }
    }

    /** One worker's forward and backward; returns its weighted loss. */
    private double shardStep(ParameterStore store, NDArray shard, double weight) {
        JniUtils.setGradMode(true);
        try {
            NDList out = block.forward(store, new NDList(shard), true);
            NDArray value =
                    loss.evaluate(new NDList(shard), out).mul(Tensors.scalar(shard, weight));
            NDArray seed = value.onesLike();
            JniUtils.backward((PtNDArray) value, (PtNDArray) seed, false, false);
            return value.toType(DataType.FLOAT64, false).getDouble();
        } finally {
            JniUtils.setGradMode(false);
        }
    }

    /**
     * Initialises the block (keeping loaded parameters), runs the whole first batch once, builds
     * the replicas.
     */
    private WorkerReplicas prepare(NDArray batch) {
        NDManager manager = model.getNDManager();
        // as DJL's Trainer.initialize: parameters that hold values (loaded, resumed) keep them, and
        // the block learns its input names and shapes, which Model.save writes (a block whose
        // parameters were only loaded has shapes but no names, and cannot be saved)
        block.initialize(manager, DataType.FLOAT32, batch.getShape());
        try (NDManager warmUp = manager.newSubManager()) {
            NDArray copy = batch.duplicate();
            copy.attach(warmUp);
            block.forward(new ParameterStore(warmUp, false), new NDList(copy), true);
        }
        return new WorkerReplicas(block, manager, workers);
    }

    /** Shuts the workers down and frees the replicas; the model and its parameters stay. */
    @Override
    public void close() {
        pool.shutdownNow();
        if (replicas != null) {
            replicas.close();
        }
    }

    /** Builds a {@link DataParallelTrainer}. */
    public static final class Builder {

        private Model model;
        private Optimizer optimizer;
        private Loss loss = new NegativeLogLikelihood("nll", false);
        private int workers = Runtime.getRuntime().availableProcessors();
        private int intraOpThreads = 1;

        Builder() {}

        /**
         * Sets the model whose block is trained (usually a {@link
         * io.github.djlflows.core.NormalizingFlow}); it is initialised from the first batch's shape
         * when it is not yet.
         *
         * @param model the model
         * @return this builder
         */
        public Builder setModel(Model model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the optimizer. Defaults to a {@link FusedAdam} with a fixed learning rate of 1e-3.
         *
         * @param optimizer the optimizer
         * @return this builder
         */
        public Builder optOptimizer(Optimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /**
         * Sets the loss, a mean over its batch, called on worker threads concurrently. Defaults to
         * {@link NegativeLogLikelihood} (without its per-shard finite check: the trainer checks the
         * batch's loss).
         *
         * @param loss the loss
         * @return this builder
         */
        public Builder optLoss(Loss loss) {
            this.loss = loss;
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
         * Builds the trainer and starts its worker threads.
         *
         * @return the trainer
         */
        public DataParallelTrainer build() {
            Preconditions.checkArgument(model != null, "a model is required");
            Preconditions.checkArgument(model.getBlock() != null, "the model has no block");
            Preconditions.checkArgument(workers >= 1, "workers must be at least 1, got " + workers);
            Preconditions.checkArgument(
                    intraOpThreads >= 1,
                    "intra-op threads must be at least 1, got " + intraOpThreads);
            Preconditions.checkArgument(loss != null, "loss must not be null");
            if (optimizer == null) {
                optimizer =
                        FusedAdam.builder().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
            }
            return new DataParallelTrainer(this);
        }
    }
}
