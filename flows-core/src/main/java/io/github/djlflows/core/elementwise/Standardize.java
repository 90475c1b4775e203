package io.github.djlflows.core.elementwise;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A fixed, non-trainable standardisation {@code z_i = (x_i - mean_i) / std_i}, placed at the data
 * end of a flow so the trainable layers see features of unit scale while {@code logProb} stays in
 * the data's own units: log-det {@code = -sum_i log std_i} for every sample.
 *
 * <p>The statistics are fixed state, not parameters: they are saved with the block's metadata (the
 * {@code .params} file), no optimizer touches them, and a block built with {@link
 * #placeholder(int)} takes them from the file on load.
 *
 * <p>Shapes: (batch, dimension). Cost: O(D) in both directions; analytic inverse {@code x = z * std
 * + mean}.
 *
 * <pre>{@code
 * Standardize standardize = Standardize.fit(trainingData); // per-column mean and std
 * FlowSequence flow = FlowSequence.of(standardize, maf);
 * }</pre>
 */
public final class Standardize extends FlowBlock {

    private static final byte VERSION = 1;

    private double[] mean;
    private double[] std;

    private Standardize(double[] mean, double[] std) {
        super(VERSION);
        this.mean = mean;
        this.std = std;
    }

    /**
     * A layer with the given statistics.
     *
     * @param mean the per-feature means, finite
     * @param std the per-feature standard deviations, finite and positive, as many as means
     * @return the layer
     * @throws IllegalArgumentException naming the first bad value
     */
    public static Standardize of(double[] mean, double[] std) {
        check(mean, std);
        return new Standardize(mean.clone(), std.clone());
    }

    /**
     * The identity on {@code dimension} features, for rebuilding a saved model: the statistics come
     * from the parameters file on load.
     *
     * @param dimension the number of features, positive
     * @return the layer
     */
    public static Standardize placeholder(int dimension) {
        Preconditions.checkArgument(dimension > 0, "dimension must be positive, got " + dimension);
        double[] zeros = new double[dimension];
        double[] ones = new double[dimension];
        Arrays.fill(ones, 1);
        return new Standardize(zeros, ones);
    }

    /**
     * A layer fitted to data: each column's mean and standard deviation (population form), computed
     * in float64.
     *
     * @param data the samples, (n, dimension), n &gt; 1
     * @return the layer
     * @throws IllegalArgumentException if the data are not a matrix, hold non-finite values, or a
     *     column is constant
     */
    public static Standardize fit(NDArray data) {
        Shape shape = data.getShape();
        Preconditions.checkArgument(
                shape.dimension() == 2 && shape.get(0) > 1,
                "Standardize.fit expects (n > 1, dimension) samples, got " + shape);
        int n = Math.toIntExact(shape.get(0));
        int d = Math.toIntExact(shape.get(1));
        double[] values = data.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += values[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = values[i * d + j] - mean[j];
                std[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n);
            if (std[j] == 0) {
                throw new IllegalArgumentException(
                        "column " + j + " is constant (" + mean[j] + "): it has no density to fit");
            }
        }
        check(mean, std);
        return new Standardize(mean, std);
    }

    private static void check(double[] mean, double[] std) {
        Preconditions.checkArgument(
                mean.length > 0 && mean.length == std.length,
                "expected as many means as standard deviations (at least one), got "
                        + mean.length
                        + " and "
                        + std.length);
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !Double.isFinite(std[j]) || std[j] <= 0) {
                throw new IllegalArgumentException(
                        "feature "
                                + j
                                + ": expected a finite mean and a finite positive std, got mean "
                                + mean[j]
                                + ", std "
                                + std[j]);
            }
        }
    }

    /**
     * The per-feature means.
     *
     * @return a copy
     */
    public double[] getMean() {
        return mean.clone();
    }

    /**
     * The per-feature standard deviations.
     *
     * @return a copy
     */
    public double[] getStd() {
        return std.clone();
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        checkShape(inputShapes[0]);
    }

    /** A block without parameters skips prepare, so each pass checks its input's width too. */
    private void checkShape(Shape shape) {
        if (shape.dimension() != 2 || shape.get(1) != mean.length) {
            throw new IllegalArgumentException(
                    "Standardize holds statistics of "
                            + mean.length
                            + " features, expected input (batch, "
                            + mean.length
                            + "), got "
                            + shape);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        checkShape(x.getShape());
        NDArray z = x.sub(constant(x, mean)).mul(constant(x, reciprocals()));
        return result(z, LogDets.zeros(x).add(Tensors.shared(x, -sumLogStd())));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        checkShape(z.getShape());
        NDArray x = z.mul(constant(z, std)).add(constant(z, mean));
        return result(x, LogDets.zeros(z).add(Tensors.shared(z, sumLogStd())));
    }

    private double[] reciprocals() {
        double[] r = new double[std.length];
        for (int j = 0; j < r.length; j++) {
            r[j] = 1 / std[j];
        }
        return r;
    }

    private double sumLogStd() {
        double sum = 0;
        for (double s : std) {
            sum += Math.log(s);
        }
        return sum;
    }

    private static NDArray constant(NDArray like, double[] values) {
        return Tensors.shared(like, values, new Shape(values.length), like.getDataType());
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(mean.length);
        for (int j = 0; j < mean.length; j++) {
            os.writeDouble(mean[j]);
            os.writeDouble(std[j]);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "Standardize: unsupported version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        int d = is.readInt();
        if (d != mean.length) {
            throw new MalformedModelException(
                    "Standardize: the file holds statistics of "
                            + d
                            + " features, the block expects "
                            + mean.length);
        }
        double[] m = new double[d];
        double[] s = new double[d];
        for (int j = 0; j < d; j++) {
            m[j] = is.readDouble();
            s[j] = is.readDouble();
        }
        try {
            check(m, s);
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException(
                    "Standardize: corrupt statistics: " + e.getMessage(), e);
        }
        mean = m;
        std = s;
    }
}
