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
 * Glow's invertible 1x1 convolution in LU-decomposed form: a learned C x C channel-mixing matrix
 * applied at every pixel.
 *
 * <pre>
 * W      = P · (L ⊙ M_lower + I) · (U ⊙ M_upper + diag(sign · exp(logAbsS)))
 * z[:, :, h, w] = W · x[:, :, h, w]
 * logDet = H · W_img · Σ logAbsS
 * </pre>
 *
 * <p>P is a fixed permutation and {@code sign} fixed signs, both drawn at initialisation and saved
 * with the model (metadata); L (strictly lower, via a constant mask), U (strictly upper) and {@code
 * logAbsS} are trainable. The layer starts from a seeded random orthogonal matrix (Gaussian matrix,
 * Gram-Schmidt QR on the host) decomposed by a host LU with partial pivoting, so log|det W| starts
 * at 0.
 *
 * <p>Shapes: (batch, C, H, W) in both directions. Cost: forward O(C² HW) per sample plus O(C³) to
 * assemble W; the inverse computes W⁻¹ once per call from the C x C matrix ({@code
 * NDArray.inverse()}), never per sample. Analytic inverse.
 *
 * <p>Reference: Kingma and Dhariwal, "Glow: Generative Flow with Invertible 1x1 Convolutions",
 * NeurIPS 2018 (section 3.2, LU decomposition). {@link PlainInvertibleConv1x1} is the same layer
 * with a free matrix W.
 *
 * <pre>{@code
 * InvertibleConv1x1 mix = new InvertibleConv1x1(42);
 * }</pre>
 */
public class InvertibleConv1x1 extends FlowBlock {

    private static final byte VERSION = 1;

    private final long seed;
    private final Parameter lower;
    private final Parameter upper;
    private final Parameter logAbsS;
    private int channels;
    private int[] perm;
    private float[] sign;

    /**
     * Creates the layer.
     *
     * @param seed the seed of the initial random rotation
     */
    public InvertibleConv1x1(long seed) {
        super(VERSION);
        this.seed = seed;
        lower =
                addParameter(
                        Parameter.builder().setName("lower").setType(Parameter.Type.OTHER).build());
        upper =
                addParameter(
                        Parameter.builder().setName("upper").setType(Parameter.Type.OTHER).build());
        logAbsS =
                addParameter(
                        Parameter.builder()
                                .setName("logAbsS")
                                .setType(Parameter.Type.OTHER)
                                .build());
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        if (x.dimension() != 4) {
            throw new IllegalArgumentException(
                    "InvertibleConv1x1 expects images (batch, channels, height, width), got " + x);
        }
        int c = Math.toIntExact(x.get(1));
        channels = c;
        double[][] lu = randomOrthogonal(c, new Random(seed));
        int[] p = luInPlace(lu);
        double[] l = new double[c * c];
        double[] u = new double[c * c];
        double[] s = new double[c];
        sign = new float[c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                if (j < i) {
                    l[i * c + j] = lu[i][j];
                } else if (j > i) {
                    u[i * c + j] = lu[i][j];
                }
            }
            s[i] = Math.log(Math.abs(lu[i][i]));
            sign[i] = lu[i][i] < 0 ? -1f : 1f;
        }
        perm = p;
        lower.setShape(new Shape(c, c));
        upper.setShape(new Shape(c, c));
        logAbsS.setShape(new Shape(c));
        lower.setInitializer((m, shape, type) -> m.create(l, shape).toType(type, false));
        upper.setInitializer((m, shape, type) -> m.create(u, shape).toType(type, false));
        logAbsS.setInitializer((m, shape, type) -> m.create(s, shape).toType(type, false));
    }

    /** A Haar-ish random orthogonal matrix: Gram-Schmidt on a seeded Gaussian matrix. */
    static double[][] randomOrthogonal(int n, Random random) {
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextGaussian();
            }
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i] * q[i][k];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= dot * q[i][k];
                }
            }
            double norm = 0;
            for (double e : v) {
                norm += e * e;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return q;
    }

    /**
     * LU with partial pivoting in place: afterwards {@code a} holds L (strict lower, unit diagonal
     * implied) and U; returns {@code perm} with {@code A[perm[i]] = (LU)[i]}, i.e. A = P L U with
     * P[perm[i]][i] = 1.
     */
    static int[] luInPlace(double[][] a) {
        int n = a.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int k = 0; k < n; k++) {
            int pivot = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[pivot][k])) {
                    pivot = i;
                }
            }
            double[] row = a[k];
            a[k] = a[pivot];
            a[pivot] = row;
            int t = perm[k];
            perm[k] = perm[pivot];
            perm[pivot] = t;
            for (int i = k + 1; i < n; i++) {
                a[i][k] /= a[k][k];
                for (int j = k + 1; j < n; j++) {
                    a[i][j] -= a[i][k] * a[k][j];
                }
            }
        }
        return perm;
    }

    private NDArray weight(ParameterStore ps, NDArray like, boolean training) {
        int c = channels;
        double[] pm = new double[c * c];
        double[] lm = new double[c * c];
        double[] um = new double[c * c];
        double[] eye = new double[c * c];
        double[] sg = new double[c];
        for (int i = 0; i < c; i++) {
            pm[perm[i] * c + i] = 1;
            eye[i * c + i] = 1;
            sg[i] = sign[i];
            for (int j = 0; j < c; j++) {
                if (j < i) {
                    lm[i * c + j] = 1;
                } else if (j > i) {
                    um[i * c + j] = 1;
                }
            }
        }
        // P, the masks, I and the signs are shared constants (built once per values, type and
        // device), not five Java-to-native copies per call
        Shape cc = new Shape(c, c);
        DataType type = like.getDataType();
        NDArray identity = Tensors.shared(like, eye, cc, type);
        NDArray l =
                Tensors.param(ps, lower, like, training)
                        .mul(Tensors.shared(like, lm, cc, type))
                        .add(identity);
        NDArray s =
                Tensors.param(ps, logAbsS, like, training)
                        .exp()
                        .mul(Tensors.shared(like, sg, new Shape(c), type));
        NDArray u =
                Tensors.param(ps, upper, like, training)
                        .mul(Tensors.shared(like, um, cc, type))
                        .add(s.reshape(1, c).mul(identity)); // s first: its product stays in the
        // batch's manager
        // P first: the product lands in the constants' manager, so it moves to the batch's at once
        return Tensors.local(like, Tensors.shared(like, pm, cc, type).matMul(l)).matMul(u);
    }

    static NDArray mix(NDArray x, NDArray w) {
        return x.transpose(0, 2, 3, 1).matMul(w.transpose()).transpose(0, 3, 1, 2);
    }

    private NDArray logDet(ParameterStore ps, NDArray like, boolean training) {
        Shape shape = like.getShape();
        double pixels = (double) shape.get(2) * shape.get(3);
        NDArray total = Tensors.mul(Tensors.param(ps, logAbsS, like, training).sum(), pixels);
        return total.add(like.getManager().zeros(new Shape(shape.get(0)), like.getDataType()));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        checkChannels(x);
        NDArray w = weight(parameterStore, x, training);
        return result(mix(x, w), logDet(parameterStore, x, training));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        checkChannels(z);
        NDArray w = weight(parameterStore, z, false);
        return result(mix(z, w.inverse()), logDet(parameterStore, z, false).neg());
    }

    private void checkChannels(NDArray x) {
        if (perm == null || x.getShape().get(1) != channels) {
            throw new IllegalStateException(
                    "InvertibleConv1x1 was built for "
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
        for (int i = 0; i < channels; i++) {
            os.writeInt(perm[i]);
            os.writeFloat(sign[i]);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "InvertibleConv1x1: unsupported version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        int c = is.readInt();
        if (c <= 0 || c > 1 << 16) {
            throw new MalformedModelException("InvertibleConv1x1: corrupt channel count " + c);
        }
        int[] p = new int[c];
        float[] sg = new float[c];
        boolean[] seen = new boolean[c];
        for (int i = 0; i < c; i++) {
            p[i] = is.readInt();
            sg[i] = is.readFloat();
            if (p[i] < 0 || p[i] >= c || seen[p[i]] || Math.abs(sg[i]) != 1f) {
                throw new MalformedModelException(
                        "InvertibleConv1x1: corrupt permutation or signs");
            }
            seen[p[i]] = true;
        }
        channels = c;
        perm = p;
        sign = sg;
    }
}
