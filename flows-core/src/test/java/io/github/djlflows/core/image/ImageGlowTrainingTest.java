package io.github.djlflows.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.Glow;
import io.github.djlflows.core.testing.Fitting;
import org.junit.jupiter.api.Test;

/** A small Glow trains on tiny synthetic images; ActNorm's data-dependent init normalises. */
class ImageGlowTrainingTest {

    private static final Shape EVENT = new Shape(1, 8, 8);

    /** Smooth random blobs: a low-resolution field upsampled, plus noise. */
    private static NDArray images(NDManager manager, int n) {
        NDArray coarse = manager.randomNormal(0, 1, new Shape(n, 1, 2, 2), DataType.FLOAT32);
        NDArray up = coarse.repeat(2, 4).repeat(3, 4);
        return up.add(manager.randomNormal(0, 0.1f, up.getShape(), DataType.FLOAT32));
    }

    @Test
    void actNormInitialisesToZeroMeanUnitStd() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ActNorm norm = new ActNorm();
            Shape shape = new Shape(16, 3, 4, 4);
            norm.initialize(manager, DataType.FLOAT64, shape);
            NDArray x =
                    manager.randomNormal(2, 3, shape, DataType.FLOAT64)
                            .mul(manager.create(new double[] {1, 5, 0.2}).reshape(1, 3, 1, 1));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray z = norm.forward(ps, new NDList(x), true).get(0);
            assertTrue(norm.isDataInitialized());
            NDArray perChannel = z.transpose(1, 0, 2, 3).reshape(3, -1);
            for (double m : perChannel.mean(new int[] {1}).toDoubleArray()) {
                assertEquals(0, m, 1e-9);
            }
            NDArray std =
                    perChannel
                            .sub(perChannel.mean(new int[] {1}, true))
                            .square()
                            .mean(new int[] {1})
                            .sqrt();
            for (double s : std.toDoubleArray()) {
                assertEquals(1, s, 1e-5);
            }
            // a second training batch does not re-initialise: training and eval now agree
            NDArray again = norm.forward(ps, new NDList(x.mul(10)), true).get(0);
            NDArray eval = norm.forward(ps, new NDList(x.mul(10)), false).get(0);
            assertEquals(0, again.sub(eval).abs().max().getDouble(), 1e-12);
        }
    }

    @Test
    void smallGlowTrainsWithoutNaN() {
        Engine.getInstance().setRandomSeed(7);
        try (Model model = Model.newInstance("glow-tiny")) {
            NormalizingFlow flow =
                    NormalizingFlow.builder()
                            .setFlow(
                                    Glow.builder()
                                            .setInputShape(EVENT)
                                            .optLevels(2)
                                            .optSteps(2)
                                            .optHiddenChannels(16)
                                            .build())
                            .setBase(new StandardNormal(EVENT))
                            .build();
            model.setBlock(flow);
            NDManager manager = model.getNDManager();
            NDArray train = images(manager, 64);
            Fitting.fit(model, train, 1, 16, 1e-3f);
            double first = Fitting.nll(flow, train);
            Fitting.fit(model, train, 8, 16, 1e-3f);
            double last = Fitting.nll(flow, train);
            assertTrue(Double.isFinite(first) && Double.isFinite(last), first + " " + last);
            assertTrue(last < first, "NLL did not decrease: " + first + " -> " + last);
            // after training, the first ActNorm is initialised and a loaded copy keeps it
            MultiScaleFlow glow = (MultiScaleFlow) flow.getFlow();
            FlowSequence level0 = (FlowSequence) glow.getChildren().get(0).getValue();
            assertTrue(((ActNorm) level0.getLayers().get(0)).isDataInitialized());
            NDArray samples = flow.sample(manager, 4, 0.7, 3);
            assertEquals(new Shape(4).addAll(EVENT), samples.getShape());
            assertTrue(Float.isFinite(samples.abs().sum().getFloat()));
        }
    }
}
