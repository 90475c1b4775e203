package io.github.djlflows.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.flows.Glow;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Glow's learned prior leaves the default layout alone; the plain 1x1 convolution's log-det. */
class ImageGlowOptionsTest {

    private static List<String> layout(FlowBlock block, Shape input) {
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, input);
            List<String> out = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                out.add(p.getKey() + " " + p.getValue().getArray().getShape());
            }
            return out;
        }
    }

    private static Glow.Builder small() {
        return Glow.builder()
                .setInputShape(new Shape(2, 8, 8))
                .optLevels(3)
                .optSteps(2)
                .optHiddenChannels(8);
    }

    @Test
    void learnedPriorOffKeepsTheDefaultLayout() {
        Shape input = new Shape(2, 2, 8, 8);
        List<String> defaults = layout(small().build(), input);
        assertEquals(defaults, layout(small().optLearnedPrior(false).build(), input));
        List<String> prior = layout(small().optLearnedPrior(true).build(), input);
        // one conv (weight, bias) per non-final level, nothing else changes
        assertEquals(defaults.size() + 2 * 2, prior.size(), prior.toString());
        assertTrue(prior.containsAll(defaults), prior.toString());
    }

    @Test
    void learnedPriorOnlyTouchesTheFactoredHalf() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // level 0 runs at the squeezed shape (3, 16, 2, 2); MultiScaleFlow keeps channels
            // [0, 8) and factors out [8, 16)
            AffineCouplingProbe probe = new AffineCouplingProbe(manager, new Shape(3, 4, 4, 4));
            NDArray x =
                    manager.randomNormal(new Shape(3, 16, 2, 2)).toType(DataType.FLOAT64, false);
            NDList out = probe.prior.forward(probe.ps, new NDList(x), false);
            NDArray kept = out.get(0).get(":, :8");
            assertEquals(0, kept.sub(x.get(":, :8")).abs().max().getDouble(), 0);
            assertTrue(out.get(0).get(":, 8:").sub(x.get(":, 8:")).abs().max().getDouble() > 1e-3);
        }
    }

    /** Glow's prior coupling with perturbed weights. */
    private static final class AffineCouplingProbe {
        final FlowBlock prior;
        final ParameterStore ps;

        AffineCouplingProbe(NDManager manager, Shape input) {
            MultiScaleFlow glow =
                    Glow.builder()
                            .setInputShape(input.slice(1))
                            .optLevels(2)
                            .optSteps(1)
                            .optHiddenChannels(4)
                            .optLearnedPrior(true)
                            .build();
            // level 0's post flow (Glow has no pre flows); the prior is its last layer
            ai.djl.nn.Block post = glow.getChildren().valueAt(0);
            prior = (FlowBlock) post.getChildren().valueAt(post.getChildren().size() - 1);
            prior.initialize(manager, DataType.FLOAT64, Squeeze.squeezedShape(input));
            for (Pair<String, Parameter> p : prior.getParameters()) {
                NDArray a = p.getValue().getArray();
                a.addi(manager.randomNormal(0, 0.3f, a.getShape(), a.getDataType()));
            }
            ps = new ParameterStore(manager, false);
        }
    }

    @Test
    void plainLogDetGradientIsTheInverseTranspose() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(2, 3, 2, 5);
            PlainInvertibleConv1x1 mix = new PlainInvertibleConv1x1(7);
            mix.initialize(manager, DataType.FLOAT64, input);
            Parameter w = mix.getParameters().get("weight");
            w.getArray().addi(manager.randomNormal(0, 0.3f, new Shape(3, 3), DataType.FLOAT64));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(input).toType(DataType.FLOAT64, false);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(mix.forward(ps, new NDList(x), true).get(1).sum());
            }
            NDArray expected = w.getArray().inverse().transpose().mul(2 * 2 * 5);
            double error = w.getArray().getGradient().sub(expected).abs().max().getDouble();
            assertTrue(error < 1e-9, "gradient error " + error);
        }
    }
}
