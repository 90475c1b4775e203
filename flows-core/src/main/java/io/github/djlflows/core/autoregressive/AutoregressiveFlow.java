package io.github.djlflows.core.autoregressive;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.bijection.ElementwiseBijection;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The autoregressive structure: each feature goes through an elementwise bijection whose parameters
 * a {@link Made} computes from the features before it in the network's ordering.
 *
 * <pre>
 * params = made(x [, context])               reshaped to (batch, P, D)
 * z_d    = f(x_d; params[:, :, d])           params[:, :, d] depends on x_{order[0..k-1]} only
 * logDet = sum_d log|f'(x_d; params[:, :, d])|
 * </pre>
 *
 * <p>The Jacobian is triangular in the ordering, so the log-det is the sum of the diagonal.
 *
 * <p>Cost: the normalizing direction (density) is one MADE pass; the generative direction
 * (sampling) takes D passes, pass k fixing feature {@code order[k]} from the features already
 * fixed, analytic when the bijection's inverse is. {@link InverseAutoregressiveFlow} swaps the two
 * costs.
 *
 * <p>Shapes: x and z (batch, D); context (batch, contextSize) when the MADE takes one; log-det
 * (batch). Presets: {@link MaskedAutoregressiveFlow} (affine); a spline bijection gives the neural
 * spline autoregressive layer.
 *
 * <p>References: Papamakarios, Pavlakou and Murray, "Masked Autoregressive Flow for Density
 * Estimation", NeurIPS 2017; Durkan et al., "Neural Spline Flows", NeurIPS 2019.
 *
 * <pre>{@code
 * AutoregressiveFlow layer = AutoregressiveFlow.builder(new AffineBijection(3))
 *         .setConditioner(Made.builder().setDimension(4).optHiddenSizes(32, 32))
 *         .build();
 * }</pre>
 */
public class AutoregressiveFlow extends FlowBlock {

    private static final byte VERSION = 1;

    private final ElementwiseBijection bijection;
    private final Made made;
    // The rows of the identity, e_k of shape (1, D), built by initialize() in a child manager of
    // the parameters' manager and reused by every sampling pass of that data type and device.
    private volatile NDList cachedOneHots;

    /**
     * Creates the layer from a builder.
     *
     * @param builder the configured builder
     */
    protected AutoregressiveFlow(BaseBuilder<?> builder) {
        super(VERSION);
        bijection = builder.bijection();
        made = addChildBlock("conditioner", builder.conditioner(bijection.getParameterCount()));
    }

    /**
     * Creates a builder for an autoregressive layer with the given bijection.
     *
     * @param bijection the per-feature map
     * @return a new builder
     */
    public static Builder builder(ElementwiseBijection bijection) {
        return new Builder(bijection);
    }

    /**
     * Returns the per-feature map.
     *
     * @return the bijection
     */
    public ElementwiseBijection getBijection() {
        return bijection;
    }

    /**
     * Returns the conditioner.
     *
     * @return the MADE network
     */
    public Made getConditioner() {
        return made;
    }

    /** {@inheritDoc} */
    @Override
    public long getContextSize() {
        return made.getContextSize();
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        if (x.dimension() != 2 || x.get(1) != made.getDimension()) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName()
                            + " expects input of shape (batch, "
                            + made.getDimension()
                            + "), got "
                            + x);
        }
        made.initialize(manager, dataType, inputShapes);
        NDList previous = cachedOneHots;
        NDManager constants = manager.newSubManager();
        int d = made.getDimension();
        float[] eye = new float[d * d];
        for (int i = 0; i < d; i++) {
            eye[i * d + i] = 1f;
        }
        cachedOneHots = Tensors.constant(constants, eye, new Shape(d, d), dataType).split(d, 0);
        if (previous != null) {
            previous.head().getManager().close();
        }
    }

    /** e_k as (1, D): the cached row, or a new constant for another data type or device. */
    private NDArray oneHot(NDList cached, NDArray like, int feature) {
        if (cached != null && Tensors.fits(cached.get(feature), like)) {
            return cached.get(feature);
        }
        float[] oneHot = new float[made.getDimension()];
        oneHot[feature] = 1f;
        return Tensors.constant(like, oneHot, new Shape(1, made.getDimension()));
    }

    /** The bijection (or its inverse) on {@code input}, with parameters from MADE on {@code x}. */
    private NDList transform(
            ParameterStore ps,
            NDArray input,
            NDArray x,
            NDArray context,
            boolean training,
            boolean inverse) {
        NDList in = context == null ? new NDList(x) : new NDList(x, context);
        NDArray raw = made.forward(ps, in, training).singletonOrThrow();
        NDList params =
                ElementwiseBijection.cut(raw, bijection.getParameterShapes(), input.getShape());
        return inverse ? bijection.inverse(input, params) : bijection.forward(input, params);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        NDList out = transform(parameterStore, x, x, context, training, false);
        return result(out.get(0), LogDets.sumPerSample(out.get(1)));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        int dimension = made.getDimension();
        int[] order = made.getOrder();
        NDManager home = z.getManager();
        NDArray x = z.zerosLike();
        NDArray logDet = null;
        NDList cached = cachedOneHots;
        try (MaskedLinear.ReuseScope ignored = MaskedLinear.reuseMaskedWeights(home)) {
            for (int k = 0; k < dimension; k++) {
                NDArray e = oneHot(cached, z, order[k]);
                NDArray previousX = x;
                NDArray previousLogDet = logDet;
                // each pass in a child manager: its temporaries are freed when it ends, so the D
                // passes use the memory of one (autograd keeps what a backward pass needs)
                try (NDManager pass = home.newSubManager()) {
                    z.tempAttach(pass);
                    x.tempAttach(pass);
                    NDList out = transform(parameterStore, z, x, context, false, true);
                    x = Tensors.keep(x.add(out.get(0).sub(x).mul(e)), pass, home);
                    NDArray step = LogDets.sumPerSample(out.get(1).mul(e));
                    logDet = Tensors.keep(logDet == null ? step : logDet.add(step), pass, home);
                }
                previousX.close();
                if (previousLogDet != null) {
                    previousLogDet.close();
                }
            }
        }
        return result(x, logDet);
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeUTF(bijection.getName());
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "AutoregressiveFlow: unsupported version "
                            + loadVersion
                            + ", expected "
                            + VERSION);
        }
        readInputShapes(is);
        String name = is.readUTF();
        if (!name.equals(bijection.getName())) {
            throw new MalformedModelException(
                    "AutoregressiveFlow: the checkpoint holds a "
                            + name
                            + " layer, but this layer is "
                            + bijection.getName());
        }
    }

    /**
     * The options every autoregressive preset shares: the conditioner.
     *
     * @param <T> the concrete builder type
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> {

        private Made made;
        private Made.Builder madeBuilder;

        /**
         * Returns this builder.
         *
         * @return this
         */
        protected abstract T self();

        /**
         * Returns the per-feature map of the layer being built.
         *
         * @return the bijection
         */
        protected abstract ElementwiseBijection bijection();

        /**
         * Sets the conditioner as a MADE configuration; the layer sets its parameter count to the
         * bijection's. Required, unless a built {@link Made} is given.
         *
         * @param madeBuilder the MADE configuration (dimension, hidden sizes, ordering, context)
         * @return this builder
         */
        public T setConditioner(Made.Builder madeBuilder) {
            this.madeBuilder = madeBuilder;
            this.made = null;
            return self();
        }

        /**
         * Sets a built conditioner; its parameter count must equal the bijection's. Required,
         * unless a MADE configuration is given.
         *
         * @param made the network
         * @return this builder
         */
        public T setConditioner(Made made) {
            this.made = made;
            this.madeBuilder = null;
            return self();
        }

        /**
         * Checks that a conditioner was given.
         *
         * @throws IllegalArgumentException when none was
         */
        protected void checkConditioner() {
            if (made == null && madeBuilder == null) {
                throw new IllegalArgumentException(
                        "an autoregressive layer needs a conditioner: call setConditioner");
            }
        }

        Made conditioner(int parameterCount) {
            checkConditioner();
            if (made == null) {
                return madeBuilder.setParameterCount(parameterCount).build();
            }
            if (made.getParameterCount() != parameterCount) {
                throw new IllegalArgumentException(
                        "the bijection needs "
                                + parameterCount
                                + " parameters per feature, but the MADE outputs "
                                + made.getParameterCount());
            }
            return made;
        }
    }

    /** Builds an {@link AutoregressiveFlow} with any bijection. */
    public static final class Builder extends BaseBuilder<Builder> {

        private final ElementwiseBijection bijection;

        Builder(ElementwiseBijection bijection) {
            this.bijection = bijection;
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /** {@inheritDoc} */
        @Override
        protected ElementwiseBijection bijection() {
            return bijection;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public AutoregressiveFlow build() {
            if (bijection == null) {
                throw new IllegalArgumentException(
                        "an autoregressive layer needs a bijection, got null");
            }
            checkConditioner();
            return new AutoregressiveFlow(this);
        }
    }
}
