package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.Tensors;

/**
 * The affine map {@code y = x * exp(s) + t} with a soft-clamped log-scale {@code s = B *
 * tanh(raw / B)}, so {@code exp(s)} stays in [exp(-B), exp(B)] and never overflows, while small
 * scales pass almost unchanged. Parameters per feature: {@code t} (index 0) and {@code raw} (index
 * 1); a zero conditioner output gives the identity.
 *
 * <p>Reference: Dinh, Sohl-Dickstein and Bengio, "Density estimation using Real NVP", 2017.
 *
 * <pre>{@code
 * ElementwiseBijection affine = new AffineBijection(3.0);
 * }</pre>
 */
public class AffineBijection implements ElementwiseBijection {

    private final double scaleBound;

    /**
     * Creates the affine map.
     *
     * @param scaleBound the bound B on |log-scale|, positive
     */
    public AffineBijection(double scaleBound) {
        Preconditions.checkArgument(scaleBound > 0, "scale bound must be positive, got " + scaleBound);
        this.scaleBound = scaleBound;
    }

    /**
     * Soft-clamps a raw log-scale to (-bound, bound).
     *
     * @param raw the raw log-scale
     * @param bound the bound B
     * @return {@code B * tanh(raw / B)}
     */
    public static NDArray softClamp(NDArray raw, double bound) {
        return Tensors.mul(Tensors.div(raw, bound).tanh(), bound);
    }

    /** {@inheritDoc} */
    @Override
    public int getParameterCount() {
        return 2;
    }

    /** {@inheritDoc} */
    @Override
    public NDList forward(NDArray x, NDArray params) {
        NDArray[] p = shiftAndRaw(params);
        NDArray logScale = softClamp(p[1], scaleBound);
        return new NDList(x.mul(logScale.exp()).add(p[0]), logScale);
    }

    /**
     * Splits (batch, 2, features...) into the shift and the raw log-scale, as views.
     *
     * <p>One split and two squeezes: {@code params.get(":, 0")} costs five native calls each
     * (index building and an advanced-indexing read) in DJL's PyTorch engine.
     */
    private static NDArray[] shiftAndRaw(NDArray params) {
        NDList parts = params.split(2, 1);
        return new NDArray[] {parts.get(0).squeeze(1), parts.get(1).squeeze(1)};
    }

    /** {@inheritDoc} */
    @Override
    public NDList inverse(NDArray y, NDArray params) {
        NDArray[] p = shiftAndRaw(params);
        NDArray logScale = softClamp(p[1], scaleBound);
        NDArray negLogScale = logScale.neg();
        return new NDList(y.sub(p[0]).mul(negLogScale.exp()), negLogScale);
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "affine";
    }
}
