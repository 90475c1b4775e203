package io.github.djlflows.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.coupling.AffineCoupling;
import io.github.djlflows.core.coupling.MaskType;
import io.github.djlflows.core.data.ToyDensity;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.distribution.Uniform;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.residual.PlanarFlow;
import io.github.djlflows.core.testing.Fitting;
import io.github.djlflows.core.train.NonFiniteLossException;
import org.junit.jupiter.api.Test;

/** Bad input gives clear errors naming expected and actual, never a native crash or silent NaN. */
class BadInputTest {

    private static String message(Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        return e.getMessage();
    }

    @Test
    void wrongRankFeatureSizeAndTypeAreNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            FlowBlock layer = AffineCoupling.builder().setDimension(4).optHiddenSizes(8).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(3, 4));
            ParameterStore ps = new ParameterStore(m, false);
            String rank =
                    message(
                            () ->
                                    layer.forward(
                                            ps, new NDList(m.zeros(new Shape(3, 4, 1))), false));
            assertTrue(rank.contains("(batch, 4)") && rank.contains("(3, 4, 1)"), rank);
            String size =
                    message(() -> layer.forward(ps, new NDList(m.zeros(new Shape(3, 5))), false));
            assertTrue(size.contains("(batch, 4)") && size.contains("(3, 5)"), size);
            String type =
                    message(
                            () ->
                                    layer.forward(
                                            ps,
                                            new NDList(m.zeros(new Shape(3, 4), DataType.FLOAT64)),
                                            false));
            assertTrue(type.contains("float32") && type.contains("float64"), type);
            String ints =
                    message(
                            () ->
                                    layer.inverse(
                                            ps,
                                            new NDList(m.zeros(new Shape(3, 4), DataType.INT32))));
            assertTrue(ints.contains("floating-point") && ints.contains("int32"), ints);
        }
    }

    @Test
    void missingOrWrongContextIsNamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            FlowBlock layer =
                    AffineCoupling.builder()
                            .setDimension(2)
                            .optContextSize(3)
                            .optHiddenSizes(8)
                            .build();
            String init = message(() -> layer.initialize(m, DataType.FLOAT32, new Shape(2, 2)));
            assertTrue(init.contains("context") && init.contains("none"), init);
            layer.initialize(m, DataType.FLOAT32, new Shape(2, 2), new Shape(2, 3));
            ParameterStore ps = new ParameterStore(m, false);
            String missing =
                    message(() -> layer.forward(ps, new NDList(m.zeros(new Shape(2, 2))), false));
            assertTrue(missing.contains("(batch, 3)") && missing.contains("none"), missing);
            String wrong =
                    message(
                            () ->
                                    layer.forward(
                                            ps,
                                            new NDList(
                                                    m.zeros(new Shape(2, 2)),
                                                    m.zeros(new Shape(2, 5))),
                                            false));
            assertTrue(wrong.contains("(2, 3)") && wrong.contains("(2, 5)"), wrong);
        }
    }

    @Test
    void builderValidationNamesTheProblem() {
        assertTrue(message(() -> AffineCoupling.builder().build()).contains("setDimension"));
        assertTrue(
                message(() -> RealNvp.builder().setDimension(1).build())
                        .contains("dimension >= 2"));
        assertTrue(
                message(() -> AffineCoupling.builder().setDimension(2).optScaleBound(0).build())
                        .contains("scale bound"));
        assertTrue(message(() -> NormalizingFlow.builder().build()).contains("setFlow"));
        // an image mask on a vector coupling fails at build(), not at initialize
        String msg =
                message(
                        () ->
                                AffineCoupling.builder()
                                        .setDimension(3)
                                        .optMask(MaskType.CHECKERBOARD)
                                        .build());
        assertTrue(msg.contains("CHECKERBOARD") && msg.contains("setDimension(3)"), msg);
    }

    @Test
    void baseShapeMismatchAndUniformDomain() {
        try (NDManager m = NDManager.newBaseManager()) {
            NormalizingFlow flow =
                    NormalizingFlow.builder()
                            .setFlow(new PlanarFlow())
                            .setBase(new StandardNormal(new Shape(3)))
                            .build();
            String msg = message(() -> flow.initialize(m, DataType.FLOAT32, new Shape(2, 2)));
            assertTrue(msg.contains("(2, 2)") && msg.contains("(3)"), msg);
            Uniform uniform = new Uniform(new Shape(2), 0, 1);
            ParameterStore ps = new ParameterStore(m, false);
            assertThrows(
                    InputOutsideDomainException.class,
                    () ->
                            uniform.logProb(
                                    ps,
                                    m.create(new float[] {0.5f, 1.5f}, new Shape(1, 2)),
                                    false));
        }
    }

    @Test
    void inverseOfUninitializedLayerIsAClearError() {
        try (NDManager m = NDManager.newBaseManager()) {
            FlowBlock layer = new PlanarFlow();
            IllegalStateException e =
                    assertThrows(
                            IllegalStateException.class,
                            () ->
                                    layer.inverse(
                                            new ParameterStore(m, false),
                                            new NDList(m.zeros(new Shape(1, 2)))));
            assertTrue(e.getMessage().contains("not initialized"), e.getMessage());
        }
    }

    @Test
    void nanInTheLossStopsTrainingWithAClearMessage() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager();
                Model model = Model.newInstance("nan")) {
            NDArray data = ToyDensity.TWO_MOONS.sample(m, 512, 1);
            data.set(new ai.djl.ndarray.index.NDIndex("7, 1"), Float.NaN);
            model.setBlock(
                    NormalizingFlow.builder()
                            .setFlow(
                                    RealNvp.builder()
                                            .setDimension(2)
                                            .optCouplings(2)
                                            .optHiddenSizes(8)
                                            .build())
                            .setBase(new StandardNormal(new Shape(2)))
                            .build());
            NonFiniteLossException e =
                    assertThrows(
                            NonFiniteLossException.class,
                            () -> Fitting.fit(model, data, 1, 64, 1e-3f));
            assertTrue(
                    e.getMessage().contains("NaN") && e.getMessage().contains("training stopped"),
                    e.getMessage());
        }
    }
}
