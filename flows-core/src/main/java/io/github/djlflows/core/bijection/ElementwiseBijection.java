package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A per-feature invertible map whose parameters come from a conditioner: additive, affine,
 * rational-quadratic spline. Coupling and autoregressive structures take one of these, so the
 * structure (which features condition which) stays apart from the map.
 *
 * <p>Shapes: {@code x} is (batch, features...) and {@code params} is (batch, P, features...), where
 * P is {@link #getParameterCount()}: parameter {@code k} of every feature is {@code params[:, k]}.
 * Both directions return the output and the <em>elementwise</em> log|dy/dx| (of the direction
 * computed), shaped like {@code x}; structures sum it over the transformed features.
 */
public interface ElementwiseBijection {

    /**
     * The number of conditioner outputs per feature.
     *
     * @return P, at least 1
     */
    int getParameterCount();

    /**
     * Applies the map.
     *
     * @param x inputs, (batch, features...)
     * @param params parameters, (batch, P, features...)
     * @return y and the elementwise log|dy/dx|
     */
    NDList forward(NDArray x, NDArray params);

    /**
     * Applies the inverse map.
     *
     * @param y inputs, (batch, features...)
     * @param params parameters, (batch, P, features...)
     * @return x and the elementwise log|dx/dy|
     */
    NDList inverse(NDArray y, NDArray params);

    /**
     * A stable identifier saved with the model, so a checkpoint cannot be loaded into a layer with
     * a different map.
     *
     * @return the identifier
     */
    String getName();
}
