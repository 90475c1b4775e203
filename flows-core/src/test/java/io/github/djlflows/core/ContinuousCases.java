package io.github.djlflows.core;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.continuous.ContinuousFlow;
import io.github.djlflows.core.contract.FlowCase;
import java.util.stream.Stream;

/** Contract cases of the continuous flows. */
final class ContinuousCases {

    private ContinuousCases() {}

    static Stream<FlowCase> cases() {
        return Stream.of(
                FlowCase.of(
                        "ContinuousFlow",
                        () -> ContinuousFlow.builder().setDimension(3).optHiddenSizes(8, 8).build(),
                        new Shape(3)),
                FlowCase.of(
                                "ContinuousFlow with context, one hidden layer",
                                () ->
                                        ContinuousFlow.builder()
                                                .setDimension(2)
                                                .optHiddenSizes(6)
                                                .optContextSize(2)
                                                .build(),
                                new Shape(2))
                        .withContext(2)
                        .withInputs(2.0, 0.0));
    }
}
