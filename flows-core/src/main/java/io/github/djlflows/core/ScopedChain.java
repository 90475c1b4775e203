package io.github.djlflows.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.internal.Tensors;
import java.util.List;

/**
 * The memory-scoped run of a chain of flow layers, behind {@link FlowSequence}'s two directions.
 */
final class ScopedChain {

    private ScopedChain() {}

    /**
     * Runs the layers in order (or, for the inverse, in reverse), each in a child manager of the
     * input's manager, and sums the log-dets. A layer's temporaries are freed when it ends and each
     * intermediate once the next layer has run (autograd keeps what a backward pass needs), so a
     * pass holds about one layer's memory. Outputs owned by other managers are left where they are.
     */
    static NDList run(
            List<FlowBlock> layers,
            ParameterStore ps,
            NDArray input,
            NDArray context,
            boolean training,
            boolean inverse) {
        NDManager home = input.getManager();
        NDArray x = input;
        NDArray logDet = null;
        for (int i = 0; i < layers.size(); i++) {
            FlowBlock layer = layers.get(inverse ? layers.size() - 1 - i : i);
            NDArray[] previous = {x, logDet};
            try (NDManager scope = home.newSubManager()) {
                if (x.getManager() == home) {
                    x.tempAttach(scope);
                }
                NDList in = layer.getContextSize() > 0 ? new NDList(x, context) : new NDList(x);
                NDList r = inverse ? layer.inverse(ps, in) : layer.forward(ps, in, training);
                x = Tensors.keep(r.get(0), scope, home);
                NDArray sum = logDet == null ? r.get(1) : logDet.add(r.get(1));
                logDet = Tensors.keep(sum, scope, home);
            }
            for (NDArray old : previous) {
                if (spent(old, input, x, logDet, home)) {
                    old.close();
                }
            }
        }
        return FlowBlock.result(x, logDet);
    }

    /** Whether a replaced intermediate is this pass's own (not the input, not a result). */
    private static boolean spent(NDArray old, NDArray in, NDArray x, NDArray ld, NDManager home) {
        return old != null && old != in && old != x && old != ld && old.getManager() == home;
    }
}
