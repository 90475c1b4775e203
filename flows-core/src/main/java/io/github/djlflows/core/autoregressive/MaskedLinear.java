package io.github.djlflows.core.autoregressive;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.internal.Tensors;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A fully connected layer whose weight is multiplied by a fixed 0/1 mask: {@code y = x (W * M)^T +
 * b}. The mask is non-trainable state, saved with the block's metadata, so masked-out connections
 * stay exactly zero whatever the optimizer does to {@code W}.
 *
 * <p>Shapes:
 *
 * <ul>
 *   <li>input: (batch, inFeatures)
 *   <li>weight and mask: (units, inFeatures); bias: (units)
 *   <li>output: (batch, units)
 * </ul>
 *
 * <p>Cost: one matrix product, like {@link Linear}.
 *
 * <p>Reference: Germain, Gregor, Murray and Larochelle, "MADE: Masked Autoencoder for Distribution
 * Estimation", ICML 2015.
 *
 * <pre>{@code
 * float[] mask = {1, 0, 1, 1}; // 2 units x 2 inputs, row-major
 * MaskedLinear layer = new MaskedLinear(2, 2, mask, false);
 * }</pre>
 */
public class MaskedLinear extends AbstractBlock {

    private static final byte VERSION = 1;

    private final long units;
    private final long inFeatures;
    private float[] mask;
    private float[] expectedMask;
    private final Parameter weight;
    private final Parameter bias;
    // The mask as a native constant, built by initialize() in a child manager of the parameters'
    // manager: closed with the model, and not capped when the parameters' manager is. Products
    // that start from it are moved to the batch's manager at once. Passes in another data type or
    // on another device (or of a block loaded without initialize) build the mask per call.
    private volatile NDArray cachedMask;

    // Inside a sequential inverse (D conditioner passes with the same weights, no training), each
    // layer computes W * M once and reuses it: see reuseMaskedWeights().
    private static final ThreadLocal<Reuse> REUSED = new ThreadLocal<>();

    /**
     * Creates the layer.
     *
     * @param units the number of outputs
     * @param inFeatures the number of inputs
     * @param mask the 0/1 mask, (units, inFeatures) row-major
     * @param zeroInit true to start with zero weights and bias (an output layer that makes the
     *     network's output 0), false for Xavier weights
     */
    public MaskedLinear(long units, long inFeatures, float[] mask, boolean zeroInit) {
        super(VERSION);
        Preconditions.checkArgument(
                units > 0 && inFeatures > 0, "MaskedLinear needs positive sizes");
        if (mask.length != units * inFeatures) {
            throw new IllegalArgumentException(
                    "MaskedLinear expects a mask of "
                            + units
                            + " x "
                            + inFeatures
                            + " = "
                            + units * inFeatures
                            + " entries, got "
                            + mask.length);
        }
        this.units = units;
        this.inFeatures = inFeatures;
        this.mask = mask.clone();
        Parameter.Builder w = Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT);
        if (zeroInit) {
            w.optInitializer(Initializer.ZEROS);
        }
        weight = addParameter(w.optShape(new Shape(units, inFeatures)).build());
        bias =
                addParameter(
                        Parameter.builder()
                                .setName("bias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(units))
                                .build());
    }

    /**
     * Applies a masked linear map, the pure twin of the block.
     *
     * @param input (batch, inFeatures)
     * @param weight (units, inFeatures)
     * @param mask (units, inFeatures), 0 or 1
     * @param bias (units)
     * @return (batch, units)
     */
    public static NDArray maskedLinear(NDArray input, NDArray weight, NDArray mask, NDArray bias) {
        return Linear.linear(input, weight.mul(mask), bias).singletonOrThrow();
    }

    /**
     * Returns a copy of the mask.
     *
     * @return the mask, (units, inFeatures) row-major
     */
    public float[] getMask() {
        return mask.clone();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray m = cachedMask;
        if (!Tensors.fits(m, x)) {
            NDArray w = Tensors.param(parameterStore, weight, x, training);
            NDArray b = Tensors.param(parameterStore, bias, x, training);
            return new NDList(maskedLinear(x, w, Tensors.constant(x, mask, maskShape()), b));
        }
        // mask * W starts from the cached constant, so it never lands in the model's manager; the
        // parameters enter the graph as they are, without a copy
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
        Reuse reuse = training ? null : REUSED.get();
        NDArray masked = reuse == null ? null : reuse.weights.get(this);
        if (masked == null || masked.isReleased()) {
            masked = m.mul(w);
            // kept by the scope's manager across passes, else freed with the batch
            masked.attach(reuse != null ? reuse.home : x.getManager());
            if (reuse != null) {
                reuse.weights.put(this, masked);
            }
        }
        return Linear.linear(x, masked, b);
    }

    /**
     * Opens a scope, on this thread, in which every evaluation-mode pass of a masked layer reuses
     * the masked weight W * M of its first pass (weights must not change inside the scope). Used by
     * the D-pass sequential inverses of autoregressive flows; a nested scope is a no-op.
     *
     * @param home the manager that keeps the masked weights for the scope's passes (each pass may
     *     run in a child manager that is closed when the pass ends)
     * @return the scope; closing it ends the reuse
     */
    static ReuseScope reuseMaskedWeights(NDManager home) {
        if (REUSED.get() != null) {
            return () -> {};
        }
        REUSED.set(new Reuse(home));
        return REUSED::remove;
    }

    /** The masked weights of one reuse scope and the manager that keeps them. */
    private static final class Reuse {

        private final NDManager home;
        private final Map<MaskedLinear, NDArray> weights = new IdentityHashMap<>();

        Reuse(NDManager home) {
            this.home = home;
        }
    }

    /** A scope of {@link #reuseMaskedWeights()}; closing it throws nothing. */
    interface ReuseScope extends AutoCloseable {

        /** {@inheritDoc} */
        @Override
        void close();
    }

    private Shape maskShape() {
        return new Shape(units, inFeatures);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        NDArray previous = cachedMask;
        NDManager constants = manager.newSubManager();
        cachedMask = Tensors.constant(constants, mask, maskShape(), dataType);
        if (previous != null) {
            previous.getManager().close();
        }
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), units)};
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 2 || in.get(1) != inFeatures) {
            throw new IllegalArgumentException(
                    "MaskedLinear expects input of shape (batch, " + inFeatures + "), got " + in);
        }
    }

    /**
     * Sets the mask the next load must find (the one the owner's degrees imply), checked entry by
     * entry in {@link #loadMetadata}.
     *
     * @param expected the expected mask, row-major
     */
    void expectMask(float[] expected) {
        expectedMask = expected.clone();
    }

    /**
     * Returns the number of output units.
     *
     * @return the units
     */
    long getUnits() {
        return units;
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(mask.length);
        for (float m : mask) {
            os.writeFloat(m);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "MaskedLinear: unsupported version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        int n = is.readInt();
        if (n != mask.length) {
            throw new MalformedModelException(
                    "MaskedLinear: the checkpoint holds a mask of "
                            + n
                            + " entries, this layer expects "
                            + mask.length);
        }
        float[] loaded = new float[n];
        float[] expected = expectedMask;
        expectedMask = null;
        for (int i = 0; i < n; i++) {
            loaded[i] = is.readFloat();
            if (loaded[i] != 0f && loaded[i] != 1f) {
                throw new MalformedModelException(
                        "MaskedLinear: mask entry " + i + " is " + loaded[i] + ", expected 0 or 1");
            }
            if (expected != null && loaded[i] != expected[i]) {
                throw new MalformedModelException(
                        "MaskedLinear: mask entry "
                                + i
                                + " is "
                                + loaded[i]
                                + ", the saved ordering's degrees give "
                                + expected[i]);
            }
        }
        mask = loaded;
        NDArray previous = cachedMask;
        if (previous != null && !previous.isReleased()) {
            // rebuild the constant from the loaded mask, where the old one lived
            cachedMask =
                    Tensors.constant(
                            previous.getManager(), loaded, maskShape(), previous.getDataType());
            previous.close();
        }
    }
}
