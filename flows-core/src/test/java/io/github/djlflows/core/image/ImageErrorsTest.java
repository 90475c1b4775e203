package io.github.djlflows.core.image;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlflows.core.InputOutsideDomainException;
import io.github.djlflows.core.flows.Glow;
import org.junit.jupiter.api.Test;

/** Clear errors for odd sizes, too many levels and inputs outside the logit's domain. */
class ImageErrorsTest {

    @Test
    void squeezeRejectsOddSize() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Squeeze.squeezedShape(new Shape(2, 1, 7, 8)));
        assertTrue(e.getMessage().contains("even height and width"), e.getMessage());
    }

    @Test
    void glowRejectsTooManyLevels() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Glow.builder()
                                        .setInputShape(new Shape(1, 28, 28))
                                        .optLevels(3)
                                        .build());
        assertTrue(e.getMessage().contains("divisible by 8"), e.getMessage());
    }

    @Test
    void logitWithoutMarginRejectsOutsideOpenUnitIntervalAndNaN() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 1, 2, 2);
            ParameterStore ps = new ParameterStore(manager, false);
            LogitTransform bare = new LogitTransform(0);
            bare.initialize(manager, DataType.FLOAT32, shape);
            InputOutsideDomainException e =
                    assertThrows(
                            InputOutsideDomainException.class,
                            () -> bare.forward(ps, new NDList(manager.ones(shape)), false));
            assertTrue(
                    e.getMessage().contains("(0, 1)") && e.getMessage().contains("1.0]"),
                    e.getMessage());
            LogitTransform logit = new LogitTransform(0.05);
            logit.initialize(manager, DataType.FLOAT32, shape);
            NDArray nan = manager.ones(shape).mul(Float.NaN);
            assertThrows(
                    InputOutsideDomainException.class,
                    () -> logit.forward(ps, new NDList(nan), false));
        }
    }
}
