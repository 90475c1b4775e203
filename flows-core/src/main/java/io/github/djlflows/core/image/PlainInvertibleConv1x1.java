package io.github.djlflows.core.image;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * Glow's invertible 1x1 convolution in plain form: a free learned C x C matrix W applied at every
 * pixel (the LU-decomposed form is {@link InvertibleConv1x1}).
 *
 * <pre>
 * z[:, :, h, w] = W · x[:, :, h, w]
 * logDet = H · W_img · log|det W|
 * </pre>
 *
 * <p>The engine has no det/slogdet, so log|det W| is computed on the host by an O(C³) LU with
 * partial pivoting of the C x C matrix (one small device-to-host copy per call). Its gradient W⁻ᵀ
 * enters through the surrogate {@code v + Σ (W - stop(W)) ⊙ stop(W⁻¹)ᵀ}, whose value is exactly v
 * and whose first derivative is exactly W⁻ᵀ; second derivatives of the log-det are not available in
 * this form. W starts as a seeded random orthogonal matrix (log|det W| = 0).
 *
 * <p>Shapes: (batch, C, H, W) in both directions. Cost: O(C² HW) per sample plus O(C³) per call;
 * the inverse computes W⁻¹ once per call from the C x C matrix ({@code NDArray.inverse()}), never
 * per sample. Analytic inverse. Training can drive W towards singularity, which the LU form
 * excludes by construction; prefer {@link InvertibleConv1x1} unless the plain form is wanted.
 *
 * <p>Reference: Kingma and Dhariwal, "Glow: Generative Flow with Invertible 1x1 Convolutions",
 * NeurIPS 2018 (section 3.2).
 *
 * <pre>{@code
 * PlainInvertibleConv1x1 mix = new PlainInvertibleConv1x1(42);
 * }</pre>
 */
public class PlainInvertibleConv1x1 extends FlowBlock {

    private static final byte VERSION = 1;

    private final long seed;
    private final Parameter weight;
    private int channels;

    /**
     * Creates the layer.
     *
     * @param seed the seed of the initial random rotation
     */
    public PlainInvertibleConv1x1(long seed) {
        super(VERSION);
        this.seed = seed;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.OTHER)
                                .build());
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        if (x.dimension() != 4) {
            throw new IllegalArgumentException(
                    "PlainInvertibleConv1x1 expects images (batch, channels, height, width), got "
                            + x);
        }
        int c = Math.toIntExact(x.get(1));
        channels = c;
        double[][] q = InvertibleConv1x1.randomOrthogonal(c, new Random(seed));
        double[] w = new double[c * c];
        for (int i = 0; i < c; i++) {
            System.arraycopy(q[i], 0, w, i * c, c);
        }
        weight.setShape(new Shape(c, c));
        weight.setInitializer((m, shape, type) -> m.create(w, shape).toType(type, false));
    }

    /**
     * log|det a| on the host, from an LU with partial pivoting.
     *
     * @param a a square matrix, row-major
     * @param n its size
     * @return log|det a|, -infinity when singular
     */
    static double logAbsDet(double[] a, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * n, m[i], 0, n);
        }
        InvertibleConv1x1.luInPlace(m);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.log(Math.abs(m[i][i]));
        }
        return sum;
    }

    /** Per-sample log-det, with the first-derivative surrogate; {@code inverse} is W⁻¹. */
    private NDArray logDet(NDArray like, NDArray w, NDArray inverse) {
        double value;
        try (NDArray host = w.toType(DataType.FLOAT64, true)) {
            value = logAbsDet(host.toDoubleArray(), channels);
        }
        NDArray surrogate = w.sub(w.stopGradient()).mul(inverse.stopGradient().transpose()).sum();
        NDArray perPixel = surrogate.add(Tensors.scalar(like, value));
        Shape shape = like.getShape();
        NDArray total = Tensors.mul(perPixel, (double) shape.get(2) * shape.get(3));
        return total.add(like.getManager().zeros(new Shape(shape.get(0)), like.getDataType()));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        checkChannels(x);
        NDArray w = Tensors.param(parameterStore, weight, x, training);
        NDArray inverse = w.stopGradient().inverse();
        return result(InvertibleConv1x1.mix(x, w), logDet(x, w, inverse));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        checkChannels(z);
        NDArray w = Tensors.param(parameterStore, weight, z, false);
        NDArray inverse = w.inverse();
        return result(InvertibleConv1x1.mix(z, inverse), logDet(z, w, inverse).neg());
    }

    private void checkChannels(NDArray x) {
        if (channels == 0 || x.getShape().get(1) != channels) {
            throw new IllegalStateException(
                    "PlainInvertibleConv1x1 was built for "
                            + channels
                            + " channels, got "
                            + x.getShape());
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(channels);
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "PlainInvertibleConv1x1: unsupported version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        int c = is.readInt();
        if (c <= 0 || c > 1 << 16) {
            throw new MalformedModelException("PlainInvertibleConv1x1: corrupt channel count " + c);
        }
        channels = c;
    }
}
