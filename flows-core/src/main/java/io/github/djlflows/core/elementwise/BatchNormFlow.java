package io.github.djlflows.core.elementwise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Preconditions;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.LogDets;
import io.github.djlflows.core.internal.Tensors;

/**
 * Batch normalization as a flow layer (MAF paper): {@code z = (x - mu) / sqrt(var + eps) *
 * exp(logGamma) + beta}, log-det = sum(logGamma - log(var + eps) / 2).
 *
 * <p>In training mode mu and var are the batch's statistics (so a sample's output depends on its
 * batch mates, the one documented exception to per-sample independence) and the running averages
 * are updated with {@code momentum}; in evaluation mode, and always in the inverse, the running
 * averages are used. Vectors only (batch, D); use ActNorm for images.
 *
 * <p>Cost: O(D) in both directions; analytic inverse.
 *
 * <p>Reference: Papamakarios, Pavlakou and Murray, "Masked Autoregressive Flow for Density
 * Estimation", NeurIPS 2017.
 *
 * <pre>{@code
 * BatchNormFlow bn = BatchNormFlow.builder().optMomentum(0.1).build();
 * }</pre>
 */
public class BatchNormFlow extends FlowBlock {

    private static final byte VERSION = 1;

    private final double momentum;
    private final double epsilon;
    private final Parameter logGamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    BatchNormFlow(Builder builder) {
        super(VERSION);
        momentum = builder.momentum;
        epsilon = builder.epsilon;
        logGamma = addParameter(param("logGamma", Parameter.Type.OTHER, Initializer.ZEROS, true));
        beta = addParameter(param("beta", Parameter.Type.BETA, Initializer.ZEROS, true));
        runningMean =
                addParameter(
                        param(
                                "runningMean",
                                Parameter.Type.RUNNING_MEAN,
                                Initializer.ZEROS,
                                false));
        runningVar =
                addParameter(
                        param("runningVar", Parameter.Type.RUNNING_VAR, Initializer.ONES, false));
    }

    private static Parameter param(
            String name, Parameter.Type type, Initializer init, boolean grad) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optInitializer(init)
                .optRequiresGrad(grad)
                .build();
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        Preconditions.checkArgument(
                inputShapes[0].dimension() == 2,
                "BatchNormFlow expects vectors (batch, features), got " + inputShapes[0]);
        Shape d = new Shape(inputShapes[0].get(1));
        logGamma.setShape(d);
        beta.setShape(d);
        runningMean.setShape(d);
        runningVar.setShape(d);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardFlow(
            ParameterStore parameterStore, NDArray x, NDArray context, boolean training) {
        NDArray mean;
        NDArray var;
        NDArray storedMean = parameterStore.getValue(runningMean, x.getDevice(), training);
        NDArray storedVar = parameterStore.getValue(runningVar, x.getDevice(), training);
        if (training) {
            Preconditions.checkArgument(
                    x.getShape().get(0) > 1,
                    "BatchNormFlow in training mode needs a batch of at least 2 samples, got 1");
            mean = x.mean(new int[] {0});
            var = x.sub(mean).square().mean(new int[] {0});
            // in place, with operands from the batch's manager: no array lands in the model's
            NDArray keep = Tensors.scalar(x, 1 - momentum);
            storedMean.muli(keep).addi(Tensors.mul(mean.stopGradient(), momentum));
            storedVar.muli(keep).addi(Tensors.mul(var.stopGradient(), momentum));
        } else {
            mean = Tensors.param(parameterStore, runningMean, x, false);
            var = Tensors.param(parameterStore, runningVar, x, false);
        }
        NDArray lg = Tensors.param(parameterStore, logGamma, x, training);
        NDArray b = Tensors.param(parameterStore, beta, x, training);
        NDArray logScale = lg.sub(Tensors.mul(var.add(epsilon).log(), 0.5));
        NDArray z = x.sub(mean).mul(logScale.exp()).add(b);
        return result(z, perSample(x, logScale));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList inverseFlow(ParameterStore parameterStore, NDArray z, NDArray context) {
        NDArray mean = Tensors.param(parameterStore, runningMean, z, false);
        NDArray var = Tensors.param(parameterStore, runningVar, z, false);
        NDArray lg = Tensors.param(parameterStore, logGamma, z, false);
        NDArray b = Tensors.param(parameterStore, beta, z, false);
        NDArray logScale = lg.sub(Tensors.mul(var.add(epsilon).log(), 0.5));
        NDArray x = z.sub(b).mul(logScale.neg().exp()).add(mean);
        return result(x, perSample(z, logScale).neg());
    }

    private static NDArray perSample(NDArray like, NDArray logScale) {
        return LogDets.perSample(like, logScale.sum());
    }

    /** Builds a {@link BatchNormFlow}. */
    public static final class Builder {

        private double momentum = 0.1;
        private double epsilon = 1e-5;

        Builder() {}

        /**
         * Sets the weight of the current batch in the running averages. Defaults to 0.1.
         *
         * @param momentum in (0, 1]
         * @return this builder
         */
        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Sets the variance floor. Defaults to 1e-5.
         *
         * @param epsilon positive
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @return the layer
         */
        public BatchNormFlow build() {
            Preconditions.checkArgument(
                    momentum > 0 && momentum <= 1, "momentum must be in (0, 1], got " + momentum);
            Preconditions.checkArgument(epsilon > 0, "epsilon must be positive, got " + epsilon);
            return new BatchNormFlow(this);
        }
    }
}
