package io.github.djlflows.core.elementwise;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A fixed elementwise map that is the identity inside a per-feature range [lo_i, hi_i] and grows
 * logarithmically outside it. At the latent end of a flow (just before a standard normal base) it
 * bounds what a point far from the data costs: a trained flow's affine layers extrapolate, sending
 * such a point's latent to 1e6-1e7, where the base's -z²/2 gives -1e12 to -1e14; through these
 * tails the base sees b + s·log(1 + (|z| - b)/s) instead, a few hundred nats at most.
 *
 * <pre>
 * u = clamp(x, lo, hi),   d = x - u,   s = the per-feature tail scale
 * y = u + sign(d) · s · log(1 + |d| / s)            (y = x inside the range)
 * log|dy/dx| = -log(1 + |d| / s) per feature        (0 inside the range)
 * inverse:  u = clamp(y, lo, hi),  e = y - u,  x = u + sign(e) · s · (exp(|e| / s) - 1),
 *           log|dx/dy| = |e| / s
 * </pre>
 *
 * <p>The map is a C1 bijection of the real line (slope 1 at both ends of the range, 1 / (1 + |d| /
 * s) beyond), exactly invertible, with the exact log-det, so the model stays a normalised density
 * (at the latent end: a base that is the standard normal on the range with heavier, log-normal-like
 * tails). Inside the range it returns its input itself and a zero log-det, so a sample whose values
 * all lie there gets the log-density of the flow without this layer bit for bit, in every batch.
 *
 * <p>Fixed state, not parameters: the range and scales are saved with the block's metadata (the
 * {@code .params} file) and restored on load.
 *
 * <p>Shapes: (batch, dimension), or (batch, ...) with dimension values per sample (the ranges then
 * hold per value of the flattened sample, e.g. every pixel of an image latent). Cost: when every
 * value lies in the range, 4 elementwise comparisons and reductions, a zero log-det and one read of
 * a boolean (the input is returned); about 13 elementwise operations otherwise; analytic inverse.
 *
 * <pre>{@code
 * FlowSequence flow = FlowSequence.of(maf, RangeTails.symmetric(2, 5, 1)); // latent end
 * }</pre>
 */
public final class RangeTails extends FlowBlock {

    private static final byte VERSION = 1;

    private double[] low;
    private double[] high;
    private double[] scale;

    private RangeTails(double[] low, double[] high, double[] scale) {
        super(VERSION);
        this.low = low;
        this.high = high;
        this.scale = scale;
    }

    /**
     * A layer with the given range and tail scales.
     *
     * @param low the per-feature lower ends, finite
     * @param high the per-feature upper ends, finite and above {@code low}
     * @param scale the per-feature tail scales s, finite and positive
     * @return the layer
     * @throws IllegalArgumentException naming the first bad value
     */
    public static RangeTails of(double[] low, double[] high, double[] scale) {
        check(low, high, scale);
        return new RangeTails(low.clone(), high.clone(), scale.clone());
    }

    /**
     * The same range [-bound, bound] and tail scale for each of {@code dimension} features: at the
     * latent end of a flow, the identity wherever a standard normal base puts its mass.
     *
     * @param dimension the number of features, positive
     * @param bound the half-width of the range, positive and finite
     * @param scale the tail scale s, positive and finite
     * @return the layer
     */
    public static RangeTails symmetric(int dimension, double bound, double scale) {
        Preconditions.checkArgument(dimension > 0, "dimension must be positive, got " + dimension);
        double[] low = new double[dimension];
        double[] high = new double[dimension];
        double[] scales = new double[dimension];
        java.util.Arrays.fill(low, -bound);
        java.util.Arrays.fill(high, bound);
        java.util.Arrays.fill(scales, scale);
        return of(low, high, scales);
    }

    private static void check(double[] low, double[] high, double[] scale) {
        Preconditions.checkArgument(
                low.length > 0 && low.length == high.length && low.length == scale.length,
                "expected as many lower ends, upper ends and scales (at least one), got "
                        + low.length
                        + ", "
                        + high.length
                        + " and "
                        + scale.length);
        for (int j = 0; j < low.length; j++) {
            boolean ok =
                    Double.isFinite(low[j])
                            && Double.isFinite(high[j])
                            && low[j] < high[j]
                            && Double.isFinite(scale[j])
                            && scale[j] > 0;
            if (!ok) {
                throw new IllegalArgumentException(
                        "feature "
                                + j
                                + ": expected finite ends low < high and a finite positive scale,"
                                + " got ["
                                + low[j]
                                + ", "
                                + high[j]
                                + "], scale "
                                + scale[j]);
            }
        }
    }

    /**
     * The per-feature lower ends of the range.
     *
     * @return a copy
     */
    public double[] getLow() {
        return low.clone();
    }

    /**
     * The per-feature upper ends of the range.
     *
     * @return a copy
     */
    public double[] getHigh() {
        return high.clone();
    }

    /**
     * The per-feature tail scales.
     *
     * @return a copy
     */
    public double[] getScale() {
        return scale.clone();
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        checkShape(inputShapes[0]);
    }

    /** A block without parameters skips prepare, so each pass checks its input's width too. */
    private void checkShape(Shape shape) {
        if (shape.dimension() < 2 || shape.slice(1).size() != low.length) {
            throw new IllegalArgumentException(
                    "RangeTails holds the range of "
                            + low.length
                            + " features, expected input (batch, "
                            + low.length
                            + ") or (batch, ...) of "
                            + low.length
                            + " values per sample, got "
                            + shape);
        }
    }

    /** (batch, ...) as (batch, features): the ranges are per feature of the flattened sample. */
    private static NDArray flat(NDArray x) {
        Shape shape = x.getShape();
        return shape.dimension() == 2 ? x : x.reshape(shape.get(0), shape.slice(1).size());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        checkShape(x.getShape());
        NDArray v = flat(x);
        if (inside(v)) {
            return result(x, LogDets.zeros(x));
        }
        NDArray u = v.maximum(constant(v, low)).minimum(constant(v, high));
        NDArray d = v.sub(u);
        NDArray log = Tensors.add(d.abs().mul(constant(v, reciprocals())), 1).log();
        NDArray y = u.add(d.sign().mul(log.mul(constant(v, scale))));
        return result(y.reshape(x.getShape()), LogDets.sumPerSample(log).neg());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray y, NDArray context) {
        checkShape(y.getShape());
        NDArray w = flat(y);
        if (inside(w)) {
            return result(y, LogDets.zeros(y));
        }
        NDArray u = w.maximum(constant(w, low)).minimum(constant(w, high));
        NDArray e = w.sub(u);
        NDArray a = e.abs().mul(constant(w, reciprocals()));
        NDArray x = u.add(e.sign().mul(Tensors.add(a.exp(), -1).mul(constant(w, scale))));
        return result(x.reshape(y.getShape()), LogDets.sumPerSample(a));
    }

    /** Whether every value lies in its feature's range (exact comparisons; NaN counts as in). */
    private boolean inside(NDArray x) {
        return !x.gt(constant(x, high)).logicalOr(x.lt(constant(x, low))).any().getBoolean();
    }

    private double[] reciprocals() {
        double[] r = new double[scale.length];
        for (int j = 0; j < r.length; j++) {
            r[j] = 1 / scale[j];
        }
        return r;
    }

    private static NDArray constant(NDArray like, double[] values) {
        return Tensors.shared(like, values, new Shape(values.length), like.getDataType());
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(low.length);
        for (int j = 0; j < low.length; j++) {
            os.writeDouble(low[j]);
            os.writeDouble(high[j]);
            os.writeDouble(scale[j]);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "RangeTails: unsupported version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        int d = is.readInt();
        if (d != low.length) {
            throw new MalformedModelException(
                    "RangeTails: the file holds the range of "
                            + d
                            + " features, the block expects "
                            + low.length);
        }
        double[] l = new double[d];
        double[] h = new double[d];
        double[] s = new double[d];
        for (int j = 0; j < d; j++) {
            l[j] = is.readDouble();
            h[j] = is.readDouble();
            s[j] = is.readDouble();
        }
        try {
            check(l, h, s);
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException("RangeTails: corrupt range: " + e.getMessage(), e);
        }
        low = l;
        high = h;
        scale = s;
    }
}
