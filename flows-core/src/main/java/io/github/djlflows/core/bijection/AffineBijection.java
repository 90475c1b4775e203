package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
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

    // Parsed once: params.get(":, 0") would parse the index string on every call. NDIndex is
    // only read by get(), so the constants can be shared.
    private static final NDIndex SHIFT = new NDIndex(":, 0");
    private static final NDIndex RAW = new NDIndex(":, 1");

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
        NDArray shift = params.get(SHIFT);
        NDArray logScale = softClamp(params.get(RAW), scaleBound);
        return new NDList(x.mul(logScale.exp()).add(shift), logScale);
    }

    /** {@inheritDoc} */
    @Override
    public NDList inverse(NDArray y, NDArray params) {
        NDArray shift = params.get(SHIFT);
        NDArray logScale = softClamp(params.get(RAW), scaleBound);
        return new NDList(y.sub(shift).mul(logScale.neg().exp()), logScale.neg());
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "affine";
    }
}
