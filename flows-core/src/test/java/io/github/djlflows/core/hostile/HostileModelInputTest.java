package io.github.djlflows.core.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.FlowBlock;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.image.Squeeze;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Data types, contexts and shape-changing inverses a model is handed from the outside. */
class HostileModelInputTest {

    private static NormalizingFlow realNvp() {
        return NormalizingFlow.builder()
                .setFlow(
                        RealNvp.builder().setDimension(2).optCouplings(2).optHiddenSizes(8).build())
                .setBase(new StandardNormal(new Shape(2)))
                .build();
    }

    @Test
    void float64IntoALoadedFloat32ModelNamesBothTypes() throws Exception {
        Path dir = Files.createTempDirectory("hostile-dtype");
        try (NDManager m = NDManager.newBaseManager()) {
            try (Model saved = Model.newInstance("moons")) {
                NormalizingFlow flow = realNvp();
                saved.setBlock(flow);
                flow.initialize(m, DataType.FLOAT32, new Shape(4, 2));
                saved.save(dir, "moons");
            }
            try (Model loaded = Model.newInstance("moons")) {
                NormalizingFlow flow = realNvp();
                loaded.setBlock(flow);
                loaded.load(dir, "moons");
                NDArray x64 = m.randomNormal(new Shape(3, 2)).toType(DataType.FLOAT64, false);
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> flow.logProb(x64));
                assertTrue(
                        e.getMessage().contains("float32") && e.getMessage().contains("float64"),
                        e.getMessage());
                // the same data in float32 is scored
                float[] lp = flow.logProb(x64.toType(DataType.FLOAT32, false)).toFloatArray();
                assertEquals(3, lp.length);
            }
        }
    }

    @Test
    void contextToAnUnconditionalFlowIsNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            NormalizingFlow flow = realNvp();
            flow.initialize(m, DataType.FLOAT32, new Shape(4, 2));
            NDArray x = m.randomNormal(new Shape(4, 2));
            NDArray context = m.randomNormal(new Shape(4, 3));
            String scored =
                    assertThrows(IllegalArgumentException.class, () -> flow.logProb(x, context))
                            .getMessage();
            assertTrue(scored.contains("no context") && scored.contains("(4, 3)"), scored);
            String sampled =
                    assertThrows(IllegalArgumentException.class, () -> flow.sample(context))
                            .getMessage();
            assertTrue(sampled.contains("no context") && sampled.contains("(4, 3)"), sampled);
        }
    }

    @Test
    void invertedSqueezeReportsAndProducesUnsqueezedShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            FlowBlock unsqueeze = new Squeeze().inverted();
            Shape latent = new Shape(2, 8, 2, 3);
            assertEquals(new Shape(2, 2, 4, 6), unsqueeze.getOutputShapes(new Shape[] {latent})[0]);
            assertEquals(
                    latent,
                    unsqueeze.getInverseOutputShapes(new Shape[] {new Shape(2, 2, 4, 6)})[0]);
            unsqueeze.initialize(m, DataType.FLOAT32, latent);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray z = m.randomNormal(latent);
            NDList out = unsqueeze.forward(ps, new NDList(z), false);
            assertEquals(new Shape(2, 2, 4, 6), out.get(0).getShape());
            assertArrayEquals(new float[2], out.get(1).toFloatArray());
            NDArray back = unsqueeze.inverse(ps, new NDList(out.get(0))).get(0);
            assertArrayEquals(z.toFloatArray(), back.toFloatArray());
            // a squeeze and its inverse in one chain give back the input shape
            FlowBlock chain = FlowSequence.of(new Squeeze(), new Squeeze().inverted());
            Shape image = new Shape(2, 1, 4, 6);
            assertEquals(image, chain.getOutputShapes(new Shape[] {image})[0]);
            chain.initialize(m, DataType.FLOAT32, image);
            NDArray x = m.randomNormal(image);
            assertArrayEquals(
                    x.toFloatArray(),
                    chain.forward(ps, new NDList(x), false).get(0).toFloatArray());
            String wrong =
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () ->
                                            new Squeeze()
                                                    .inverted()
                                                    .getOutputShapes(
                                                            new Shape[] {new Shape(2, 3, 2, 2)}))
                            .getMessage();
            assertTrue(wrong.contains("divisible by 4") && wrong.contains("(2, 3, 2, 2)"), wrong);
        }
    }
}
