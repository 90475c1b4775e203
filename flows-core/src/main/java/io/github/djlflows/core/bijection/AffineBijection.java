package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.internal.Tensors;

/**
 * The affine map {@code y = x * exp(s) + t} with a soft-clamped log-scale {@code s = B * tanh(raw /
 * B)}, so {@code exp(s)} stays in [exp(-B), exp(B)] and never overflows, while small scales pass
 * almost unchanged. Parameters per feature ({@link #getParameterShapes()}): {@code t} and {@code
 * raw}, one each; a zero conditioner output gives the identity.
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
     * costs several times its sigmoid, which outweighs the form's extra call on all but the
     * narrowest inputs (measurements: {@code flows-bench/results/2026-11-23-session5.md}).
     */
    public static final long SIGMOID_FORM_MIN_VALUES = 8;

    private final double scaleBound;

    /**
     * Creates the affine map.
     *
     * @param scaleBound the bound B on |log-scale|, positive
     */
    public AffineBijection(double scaleBound) {
        Preconditions.checkArgument(
                scaleBound > 0, "scale bound must be positive, got " + scaleBound);
        this.scaleBound = scaleBound;
    }

    /**
     * Soft-clamps a raw log-scale to (-bound, bound): {@code B * tanh(raw / B)}, computed as {@code
     * 2B * sigmoid(2 raw / B) - B} (the same function, exact at 0, saturating at +-B) once a sample
     * has {@link #SIGMOID_FORM_MIN_VALUES} values or more. The choice depends on the per-sample
     * shape only, so a sample's result never depends on its batch.
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

    /**
     * {@inheritDoc}
     *
     * @return {@code {1, 1}}: the shift, then the raw log-scale
     */
    @Override
    public int[] getParameterShapes() {
        return new int[] {1, 1};
    }

    /** {@inheritDoc} Groups: the shift, then the raw log-scale, each shaped like {@code x}. */
    @Override
    public NDList forward(NDArray x, NDList params) {
        NDArray logScale = softClamp(params.get(1), scaleBound);
        return new NDList(x.mul(logScale.exp()).add(params.get(0)), logScale);
    }

    /** {@inheritDoc} Groups: the shift, then the raw log-scale, each shaped like {@code y}. */
    @Override
    public NDList inverse(NDArray y, NDList params) {
        NDArray logScale = softClamp(params.get(1), scaleBound);
        NDArray negLogScale = logScale.neg();
        return new NDList(y.sub(params.get(0)).mul(negLogScale.exp()), negLogScale);
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "affine";
    }
}
