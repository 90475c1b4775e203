package io.github.djlflows.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A normalizing flow model: a {@link FlowBlock} from data to latent plus a base {@link
 * Distribution} on the latent, so that {@code log p(x) = log p_Z(f(x)) + log|det df/dx|}.
 *
 * <p>It is a DJL block: {@code Model.setBlock(flow)}, {@code Model.save/load}, {@code Trainer} and
 * {@code EasyTrain.fit} work unchanged. Its {@code forward} returns three arrays, named {@code z}
 * (the latent, (batch, event...)), {@code logDet} (log|det dz/dx|, (batch)) and {@code logProb}
 * (log p(x), (batch)); {@code NegativeLogLikelihood} trains it by maximum likelihood.
 *
 * <pre>{@code
 * NormalizingFlow flow = NormalizingFlow.builder()
 *         .setFlow(RealNvp.builder().setDimension(2).build())
 *         .setBase(new StandardNormal(new Shape(2)))
 *         .build();
 * NDArray logProb = flow.logProb(x);
 * NDArray samples = flow.sample(manager, 100);
 * }</pre>
 */
public class NormalizingFlow extends AbstractBlock {

    private static final byte VERSION = 1;

    private final FlowBlock flow;
    private final Distribution base;
    private final SampleLogProb sampleLogProb;

    /** Where {@link #sampleWithLogProb} takes the log-density of its samples from. */
    public enum SampleLogProb {
        /**
         * The generative pass itself, {@code log p_Z(z) - log|det dx/dz|}: no second pass (for IAF
         * layers as cheap as sampling). In float32 it is the density of the exact inverse of z,
         * which the rounded sample x only approximates: {@code logProb(x)} differs from it by the
         * rounding of the two passes (a few 1e-3 nats for a Fashion-MNIST Glow, whose log-densities
         * are sums of terms of thousands of nats).
         */
        GENERATIVE,
        /**
         * A normalizing pass on the returned samples: {@code logProb(x)} of the very x returned,
         * bit for bit, at the price of one density pass more.
         */
        NORMALIZING
    }

    NormalizingFlow(Builder builder) {
        super(VERSION);
        flow = addChildBlock("flow", builder.flow);
        base = addChildBlock("base", builder.base);
        sampleLogProb = builder.sampleLogProb;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the flow (data to latent).
     *
     * @return the flow block
     */
    public FlowBlock getFlow() {
        return flow;
    }

    /**
     * Returns the base distribution.
     *
     * @return the base distribution
     */
    public Distribution getBase() {
        return base;
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        flow.initialize(manager, dataType, inputShapes);
        Shape latent = flow.getOutputShapes(inputShapes)[0];
        if (!latent.slice(1).equals(base.getEventShape())) {
            throw new IllegalArgumentException(
                    "the flow maps inputs "
                            + inputShapes[0]
                            + " to latents "
                            + latent
                            + ", but the base distribution's event shape is "
                            + base.getEventShape());
        }
        base.initialize(manager, dataType, latent);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList out = flow.forward(parameterStore, flowInputs(inputs), training);
        NDArray z = out.get(0);
        NDArray logDet = out.get(1);
        NDArray logProb = base.logProb(parameterStore, z, training).add(logDet);
        z.setName("z");
        logDet.setName("logDet");
        logProb.setName("logProb");
        return new NDList(z, logDet, logProb);
    }

    private NDList flowInputs(NDList inputs) {
        if (flow.getContextSize() == 0 && inputs.size() > 1) {
            throw new IllegalArgumentException(
                    "NormalizingFlow: this flow ("
                            + flow.getClass().getSimpleName()
                            + ") takes no context (context size 0), got a second input of shape "
                            + inputs.get(1).getShape());
        }
        return inputs;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape latent = flow.getOutputShapes(inputShapes)[0];
        Shape batch = new Shape(inputShapes[0].get(0));
        return new Shape[] {latent, batch, batch};
    }

    /**
     * Log-density of each row of {@code x} (evaluation mode).
     *
     * @param x data of shape (batch, ...)
     * @return log p(x) of shape (batch)
     */
    public NDArray logProb(NDArray x) {
        return forward(store(x.getManager()), new NDList(x), false).get(2);
    }

    /**
     * Log-density of each row of {@code x} given a context (conditional flows).
     *
     * @param x data of shape (batch, ...)
     * @param context the context, (batch, contextSize)
     * @return log p(x | context) of shape (batch)
     * @throws IllegalArgumentException when the flow takes no context
     */
    public NDArray logProb(NDArray x, NDArray context) {
        return forward(store(x.getManager()), new NDList(x, context), false).get(2);
    }

    /**
     * Maps data to latent codes.
     *
     * @param x data of shape (batch, ...)
     * @return z = f(x)
     */
    public NDArray encode(NDArray x) {
        checkInitialized();
        return flow.forward(store(x.getManager()), new NDList(x), false).get(0);
    }

    /**
     * Maps latent codes to data.
     *
     * @param z latents of shape (batch, event...)
     * @return x = f^-1(z)
     */
    public NDArray decode(NDArray z) {
        checkInitialized();
        return flow.inverse(store(z.getManager()), new NDList(z)).get(0);
    }

    /**
     * Draws {@code n} samples using the engine's random generator.
     *
     * @param manager the manager that owns the result
     * @param n the number of samples
     * @return samples of the data shape
     */
    public NDArray sample(NDManager manager, long n) {
        ParameterStore ps = store(manager);
        NDArray z = base.sample(ps, manager, n, dataType());
        return flow.inverse(ps, new NDList(z)).get(0);
    }

    /**
     * Draws {@code n} samples from a seeded Java generator: the same seed gives the same samples.
     *
     * @param manager the manager that owns the result
     * @param n the number of samples
     * @param seed the seed
     * @return samples of the data shape
     */
    public NDArray sample(NDManager manager, long n, long seed) {
        return sample(manager, n, 1.0, seed);
    }

    /**
     * Draws samples at a temperature: the base sample is scaled by {@code temperature} (Glow's
     * reduced-temperature sampling, T &lt; 1 gives smoother samples).
     *
     * @param manager the manager that owns the result
     * @param n the number of samples
     * @param temperature the temperature, positive
     * @param seed the seed
     * @return samples of the data shape
     */
    public NDArray sample(NDManager manager, long n, double temperature, long seed) {
        Preconditions.checkArgument(
                temperature > 0, "temperature must be positive, got " + temperature);
        ParameterStore ps = store(manager);
        NDArray z = base.sample(ps, manager, n, dataType(), seed);
        if (temperature != 1.0) {
            z = Tensors.mul(z, temperature);
        }
        return flow.inverse(ps, new NDList(z)).get(0);
    }

    /**
     * Draws one sample per context row.
     *
     * @param context the context, (n, contextSize)
     * @return samples of the data shape
     * @throws IllegalArgumentException when the flow takes no context
     */
    public NDArray sample(NDArray context) {
        NDManager manager = context.getManager();
        ParameterStore ps = store(manager);
        NDArray z = base.sample(ps, manager, context.getShape().get(0), dataType());
        return flow.inverse(ps, flowInputs(new NDList(z, context))).get(0);
    }

    /**
     * Draws {@code n} samples with their log-density, taken as the builder's {@link SampleLogProb}
     * says: from the generative pass, {@code log p(x) = log p_Z(z) - log|det dx/dz|} (no
     * normalizing pass, so for IAF layers as cheap as sampling), or from a normalizing pass on the
     * returned samples (equal to {@code logProb(x)} bit for bit).
     *
     * @param manager the manager that owns the result
     * @param n the number of samples
     * @return the samples x and log p(x) of shape (n)
     */
    public NDList sampleWithLogProb(NDManager manager, long n) {
        return drawWithLogProb(manager, n, null);
    }

    /**
     * Draws one sample per context row with its log-density log p(x | context), taken as {@link
     * #sampleWithLogProb(NDManager, long)} takes it.
     *
     * @param context the context, (n, contextSize)
     * @return the samples x and log p(x | context) of shape (n)
     * @throws IllegalArgumentException when the flow takes no context
     */
    public NDList sampleWithLogProb(NDArray context) {
        return drawWithLogProb(context.getManager(), context.getShape().get(0), context);
    }

    private NDList drawWithLogProb(NDManager manager, long n, NDArray context) {
        ParameterStore ps = store(manager);
        NDArray z = base.sample(ps, manager, n, dataType());
        NDList in = context == null ? new NDList(z) : flowInputs(new NDList(z, context));
        if (sampleLogProb == SampleLogProb.NORMALIZING) {
            NDArray x = flow.inverse(ps, in).get(0);
            return new NDList(x, context == null ? logProb(x) : logProb(x, context));
        }
        NDArray logPz = base.logProb(ps, z, false);
        NDList out = flow.inverse(ps, in);
        return new NDList(out.get(0), logPz.sub(out.get(1)));
    }

    /**
     * Where {@link #sampleWithLogProb} takes its log-densities from.
     *
     * @return the builder's choice
     */
    public SampleLogProb getSampleLogProb() {
        return sampleLogProb;
    }

    /**
     * The data type of the parameters (the type samples are drawn in).
     *
     * @return the parameters' data type, or FLOAT32 when the model has none
     */
    public DataType dataType() {
        checkInitialized();
        for (Parameter p : getParameters().values()) {
            if (p.isInitialized()) {
                return p.getArray().getDataType();
            }
        }
        return DataType.FLOAT32;
    }

    private void checkInitialized() {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    "the NormalizingFlow is not initialized: call initialize(manager, type, shape),"
                            + " train it, or load parameters first");
        }
    }

    private static ParameterStore store(NDManager manager) {
        return new ParameterStore(manager, false);
    }

    /**
     * Reads the saved input shapes and, when the block was not initialised before loading, names
     * them as {@code initialize} does ({@code data0}, ...): DJL restores a loaded block's shapes
     * without names, and {@code Model.save} of such a block (a loaded model saved again, or
     * fine-tuned without {@code Trainer.initialize}) failed with "key value size mismatch".
     */
    @Override
    protected void readInputShapes(DataInputStream is) throws IOException {
        super.readInputShapes(is);
        if (inputNames.isEmpty() && inputShapes != null) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < inputShapes.length; i++) {
                names.add("data" + i);
            }
            inputNames = names;
        }
    }

    /** Builds a {@link NormalizingFlow}. */
    public static final class Builder {

        private FlowBlock flow;
        private Distribution base;
        private SampleLogProb sampleLogProb = SampleLogProb.GENERATIVE;

        Builder() {}

        /**
         * Sets where {@link #sampleWithLogProb} takes the samples' log-densities from. Defaults to
         * {@link SampleLogProb#GENERATIVE}.
         *
         * @param sampleLogProb the source
         * @return this builder
         */
        public Builder optSampleLogProb(SampleLogProb sampleLogProb) {
            this.sampleLogProb = sampleLogProb;
            return this;
        }

        /**
         * Sets the flow (data to latent). Required.
         *
         * @param flow the flow block
         * @return this builder
         */
        public Builder setFlow(FlowBlock flow) {
            this.flow = flow;
            return this;
        }

        /**
         * Sets the base distribution on the latent. Required.
         *
         * @param base the base distribution
         * @return this builder
         */
        public Builder setBase(Distribution base) {
            this.base = base;
            return this;
        }

        /**
         * Builds the model.
         *
         * @return the model
         */
        public NormalizingFlow build() {
            Preconditions.checkArgument(flow != null, "NormalizingFlow needs a flow: call setFlow");
            Preconditions.checkArgument(base != null, "NormalizingFlow needs a base: call setBase");
            Preconditions.checkArgument(sampleLogProb != null, "sampleLogProb must not be null");
            return new NormalizingFlow(this);
        }
    }
}
