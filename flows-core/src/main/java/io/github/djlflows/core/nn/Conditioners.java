package io.github.djlflows.core.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Preconditions;

/**
 * Factories of conditioner networks for coupling layers. The last layer is zero-initialised, so a
 * freshly built coupling is the identity map (RealNVP/Glow practice); a training configuration that
 * sets a global weight initializer overrides this.
 *
 * <pre>{@code
 * SequentialBlock net = Conditioners.mlp(2 * dim, 64, 64);
 * }</pre>
 */
public final class Conditioners {

    private Conditioners() {}

    /**
     * A multilayer perceptron with ReLU hidden layers and a zero-initialised linear output.
     *
     * @param outputs the number of outputs
     * @param hiddenSizes the hidden layer widths, at least one
     * @return the network (a {@link SequentialBlock}); its input size is inferred at initialization
     */
    public static SequentialBlock mlp(long outputs, int... hiddenSizes) {
        Preconditions.checkArgument(outputs > 0, "outputs must be positive, got " + outputs);
        Preconditions.checkArgument(
                hiddenSizes.length > 0, "an MLP needs at least one hidden layer");
        SequentialBlock net = new SequentialBlock();
        for (int h : hiddenSizes) {
            Preconditions.checkArgument(h > 0, "hidden sizes must be positive, got " + h);
            net.add(Linear.builder().setUnits(h).build()).add(Activation::relu);
        }
        Linear last = Linear.builder().setUnits(outputs).build();
        last.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        last.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        net.add(last);
        return net;
    }
}
