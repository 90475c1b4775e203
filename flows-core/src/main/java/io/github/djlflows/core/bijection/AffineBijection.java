package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.internal.Tensors;

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

    /**
     * Values per sample from which {@link #softClamp} takes the sigmoid form: libtorch's CPU tanh
     * costs about four times its sigmoid ((1024, 32) float32: 116 vs 26 us in DJL, 90 vs 28 us in
     * PyTorch 1.13), which outweighs the form's extra call on all but the narrowest inputs.
     */
    public static final long SIGMOID_FORM_MIN_VALUES = 8;

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
     * Soft-clamps a raw log-scale to (-bound, bound): {@code B * tanh(raw / B)}, computed as {@code
     * 2B * sigmoid(2 raw / B) - B} (the same function, exact at 0, saturating at +-B) once a
     * sample has {@link #SIGMOID_FORM_MIN_VALUES} values or more. The choice depends on the
     * per-sample shape only, so a sample's result never depends on its batch.
     *
     * @param raw the raw log-scale, (batch, ...)
     * @param bound the bound B
     * @return {@code B * tanh(raw / B)}
     */
    public static NDArray softClamp(NDArray raw, double bound) {
        Shape shape = raw.getShape();
        long perSample = shape.dimension() > 1 ? shape.slice(1).size() : 1;
        if (perSample < SIGMOID_FORM_MIN_VALUES) {
            return Tensors.mul(Tensors.div(raw, bound).tanh(), bound);
        }
        NDArray sigmoid = Activation.sigmoid(Tensors.mul(raw, 2 / bound));
        return Tensors.add(Tensors.mul(sigmoid, 2 * bound), -bound);
    }

    /** {@inheritDoc} */
    @Override
    public int getParameterCount() {
        return 2;
    }

    /** {@inheritDoc} */
    @Override
    public NDList forward(NDArray x, NDArray params) {
        return forwardGroups(x, shiftAndRaw(params));
    }

    /** {@inheritDoc} */
    @Override
    public NDList inverse(NDArray y, NDArray params) {
        return inverseGroups(y, shiftAndRaw(params));
    }

    /**
     * {@inheritDoc}
     *
     * @return true: the shift and the raw log-scale are used apart
     */
    @Override
    public boolean readsGroups() {
        return true;
    }

    /** {@inheritDoc} Groups: the shift, then the raw log-scale. */
    @Override
    public NDList forwardGroups(NDArray x, NDList groups) {
        NDArray logScale = softClamp(groups.get(1), scaleBound);
        return new NDList(x.mul(logScale.exp()).add(groups.get(0)), logScale);
    }

    /** {@inheritDoc} Groups: the shift, then the raw log-scale. */
    @Override
    public NDList inverseGroups(NDArray y, NDList groups) {
        NDArray logScale = softClamp(groups.get(1), scaleBound);
        NDArray negLogScale = logScale.neg();
        return new NDList(y.sub(groups.get(0)).mul(negLogScale.exp()), negLogScale);
    }

    /**
     * Splits (batch, 2, features...) into the shift and the raw log-scale, as views.
     *
     * <p>One split and two squeezes: {@code params.get(":, 0")} costs five native calls each
     * (index building and an advanced-indexing read) in DJL's PyTorch engine.
     */
    private static NDList shiftAndRaw(NDArray params) {
        NDList parts = params.split(2, 1);
        return new NDList(parts.get(0).squeeze(1), parts.get(1).squeeze(1));
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "affine";
    }
}
