package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The volume-preserving shift {@code y = x + t} (NICE): one parameter per feature, log-derivative
 * 0.
 *
 * <p>Reference: Dinh, Krueger and Bengio, "NICE: Non-linear Independent Components Estimation",
 * 2014.
 *
 * <pre>{@code
 * ElementwiseBijection shift = new AdditiveBijection();
 * }</pre>
 */
public class AdditiveBijection implements ElementwiseBijection {

    /** {@inheritDoc} */
    @Override
    public int[] getParameterShapes() {
        return new int[] {1};
    }

    /** {@inheritDoc} */
    @Override
    public NDList forward(NDArray x, NDList params) {
        return new NDList(x.add(params.get(0)), x.zerosLike());
    }

    /** {@inheritDoc} */
    @Override
    public NDList inverse(NDArray y, NDList params) {
        return new NDList(y.sub(params.get(0)), y.zerosLike());
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "additive";
    }
}
