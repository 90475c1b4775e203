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
 * <p>Far from the data the map tends to the identity, in two ways (L = {@link #TAIL_BOUND}, R =
 * {@link #PARAMETER_RANGE}):
 *
 * <pre>
 * fade:   f = clamp(2 - max(|t|, |raw|) / R, 0, 1),   t' = f t,   s = B tanh(f raw / B)
 * tails:  x' = clamp(x, -L, L),   y = x' exp(s) + t' + (x - x'),   logDet = s if |x| &lt;= L, else 0
 * </pre>
 *
 * A conditioner's outputs grow without bound as its input leaves the data (a ReLU network is
 * asymptotically linear), so a plain affine layer multiplies a far point's coordinates by up to
 * exp(B) and adds shifts that grow with them; stacked, that is a polynomial of high degree in the
 * distance (log p = -8e14 nats at (1000, 0) for a two-moons RealNVP). The fade makes a layer whose
 * parameters leave [-R, R] (its conditioner's input is far) the identity from 2R on; the tails give
 * a far coordinate slope 1. A far point then passes every layer with slope 1 and a bounded shift
 * and costs about what the base's Gaussian tail says. Below the bounds the map is exactly the plain
 * affine one: the features, shifts and raw log-scales the zoo's models meet on their held-out data
 * stay below 60 (standardise data whose features reach L). The fade depends on the conditioner's
 * output only and the tails continue the map with slope 1, so it stays an increasing bijection with
 * an analytic inverse (its log-det jumps at |x| = L).
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

    /** The bound L of the affine part: beyond |x| = L the map continues with slope 1. */
    public static final double TAIL_BOUND = 100;

    /** The parameter magnitude R from which a layer fades to the identity (reached at 2R). */
    public static final double PARAMETER_RANGE = 100;

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
        NDList faded = faded(params);
        NDArray logScale = faded.get(1);
        NDArray inside = clamp(x, TAIL_BOUND);
        NDArray y = inside.mul(logScale.exp()).add(faded.get(0)).add(x.sub(inside));
        return new NDList(y, logScale.mul(inside.eq(x)));
    }

    /** {@inheritDoc} Groups: the shift, then the raw log-scale, each shaped like {@code y}. */
    @Override
    public NDList inverse(NDArray y, NDList params) {
        NDList faded = faded(params);
        NDArray shift = faded.get(0);
        NDArray negLogScale = faded.get(1).neg();
        // the images of -L and L bound the affine part in y
        NDArray reach = Tensors.mul(faded.get(1).exp(), TAIL_BOUND);
        NDArray inside = y.minimum(shift.add(reach)).maximum(shift.sub(reach));
        NDArray x = inside.sub(shift).mul(negLogScale.exp()).add(y.sub(inside));
        return new NDList(x, negLogScale.mul(inside.eq(y)));
    }

    /** The faded shift and the soft-clamped faded log-scale (see the class documentation). */
    private NDList faded(NDList params) {
        NDArray shift = params.get(0);
        NDArray raw = params.get(1);
        NDArray f =
                Tensors.add(Tensors.mul(shift.abs().maximum(raw.abs()), -1 / PARAMETER_RANGE), 2);
        f = f.minimum(Tensors.shared(f, 1)).maximum(Tensors.shared(f, 0));
        return new NDList(shift.mul(f), softClamp(raw.mul(f), scaleBound));
    }

    private static NDArray clamp(NDArray a, double bound) {
        return a.minimum(Tensors.shared(a, bound)).maximum(Tensors.shared(a, -bound));
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "affine";
    }
}
