package io.github.djlflows.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-worker replicas of a block's trainable parameters, for {@link DataParallelTrainer}: each
 * replica is a detached view of its parameter (the same storage, so the optimizer's in-place update
 * is seen by every replica, but its own autograd leaf and gradient), held in the worker's own
 * manager and handed to the block through the worker's parameter store. Non-trainable parameters
 * are shared.
 */
final class WorkerReplicas implements AutoCloseable {

    private final List<Parameter> trainable = new ArrayList<>();
    private final List<NDManager> managers = new ArrayList<>();
    private final List<NDArray[]> replicas = new ArrayList<>();
    private final List<ParameterStore> stores = new ArrayList<>();

    /**
     * Builds the replicas of {@code block}'s trainable parameters for each worker, in sub-managers
     * of {@code manager}.
     */
    WorkerReplicas(Block block, NDManager manager, int workers) {
        for (Parameter parameter : block.getParameters().values()) {
            if (parameter.requiresGradient()) {
                trainable.add(parameter);
                // the optimizers zero the main array's gradient after each update
                parameter.getArray().setRequiresGradient(true);
            }
        }
        for (int w = 0; w < workers; w++) {
            NDManager workerManager = manager.newSubManager();
            managers.add(workerManager);
            NDArray[] replica = new NDArray[trainable.size()];
            Map<String, NDArray> byId = new HashMap<>();
            for (int i = 0; i < replica.length; i++) {
                // a detached view: the same storage, its own autograd leaf and gradient
                replica[i] = trainable.get(i).getArray().stopGradient();
                replica[i].attach(workerManager);
                replica[i].setRequiresGradient(true);
                byId.put(trainable.get(i).getId(), replica[i]);
            }
            replicas.add(replica);
            stores.add(new ReplicaStore(workerManager, byId));
        }
    }

    /** The manager of worker {@code w}, parent of its shards' managers. */
    NDManager manager(int w) {
        return managers.get(w);
    }

    /** The parameter store that hands worker {@code w} its replicas. */
    ParameterStore store(int w) {
        return stores.get(w);
    }

    /**
     * Sums the gradients of the first {@code active} workers' replicas in worker order (in a
     * sub-manager of {@code manager}) and lets the optimizer update each parameter.
     */
    void update(Optimizer optimizer, NDManager manager, int active) {
        try (NDManager sums = manager.newSubManager()) {
            for (int i = 0; i < trainable.size(); i++) {
                NDArray sum = null;
                for (NDArray[] replica : replicas.subList(0, active)) {
                    NDArray g = replica[i].getGradient();
                    g.attach(sums);
                    sum = sum == null ? g : sum.add(g);
                }
                Parameter parameter = trainable.get(i);
                optimizer.update(parameter.getId(), parameter.getArray(), sum);
            }
        }
    }

    /** Frees and zeroes every replica's gradient. */
    void zeroGradients() {
        for (NDArray[] replica : replicas) {
            for (NDArray r : replica) {
                NDArray g = JniUtils.getGradient((PtNDArray) r);
                if (g != null) {
                    g.close();
                    JniUtils.zeroGrad((PtNDArray) r);
                }
            }
        }
    }

    /** Frees the replicas; the parameters stay. */
    @Override
    public void close() {
        managers.forEach(NDManager::close);
    }

    /** A parameter store that hands a worker its own replicas (non-trainable ones are shared). */
    private static final class ReplicaStore extends ParameterStore {

        private final Map<String, NDArray> replicas;

        ReplicaStore(NDManager manager, Map<String, NDArray> replicas) {
            super(manager, false);
            this.replicas = replicas;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null) {
                return null;
            }
            NDArray replica = replicas.get(parameter.getId());
            return replica != null ? replica : parameter.getArray();
        }
    }
}
