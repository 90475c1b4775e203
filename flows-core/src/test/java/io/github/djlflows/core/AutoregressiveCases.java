package io.github.djlflows.core;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.autoregressive.AutoregressiveFlow;
import io.github.djlflows.core.autoregressive.InverseAutoregressiveFlow;
import io.github.djlflows.core.autoregressive.Made;
import io.github.djlflows.core.autoregressive.MaskedAutoregressiveFlow;
import io.github.djlflows.core.autoregressive.Ordering;
import io.github.djlflows.core.autoregressive.RationalQuadraticAutoregressive;
import io.github.djlflows.core.bijection.AdditiveBijection;
import io.github.djlflows.core.bijection.DeepSigmoidalBijection;
import io.github.djlflows.core.contract.FlowCase;
import io.github.djlflows.core.elementwise.ElementwiseTransform;
import io.github.djlflows.core.flows.Iaf;
import io.github.djlflows.core.flows.Maf;
import io.github.djlflows.core.flows.Naf;
import io.github.djlflows.core.flows.Nsf;
import java.util.stream.Stream;

/** The autoregressive layers (MAF, IAF and their stacks) checked by the shared contract. */
final class AutoregressiveCases {

    private AutoregressiveCases() {}

    private static Made.Builder made(int dimension) {
        return Made.builder().setDimension(dimension).optHiddenSizes(8, 8);
    }

    /** A two-layer autoregressive NSF of 8 hidden units. */
    private static FlowBlock nsfAutoregressive(int dimension, long contextSize) {
        return Nsf.builder()
                .setDimension(dimension)
                .optStructure(Nsf.Structure.AUTOREGRESSIVE)
                .optTransforms(2)
                .optHiddenSizes(8)
                .optContextSize(contextSize)
                .build();
    }

    static Stream<FlowCase> cases() {
        Shape v4 = new Shape(4);
        Shape v5 = new Shape(5);
        return Stream.of(
                FlowCase.of(
                                "AutoregressiveFlow additive with context",
                                () ->
                                        AutoregressiveFlow.builder(new AdditiveBijection())
                                                .setConditioner(made(4).optContextSize(2))
                                                .build(),
                                v4)
                        .withContext(2),
                FlowCase.of(
                                "RationalQuadraticAutoregressive inside and outside the bound",
                                () ->
                                        RationalQuadraticAutoregressive.builder()
                                                .setConditioner(made(4))
                                                .optBins(5)
                                                .optBound(2)
                                                .build(),
                                v4)
                        .withInputs(2.0, 0.0),
                FlowCase.of(
                                "RationalQuadraticAutoregressive with context",
                                () ->
                                        RationalQuadraticAutoregressive.builder()
                                                .setConditioner(made(4).optContextSize(2))
                                                .build(),
                                v4)
                        .withContext(2),
                FlowCase.of("Nsf autoregressive", () -> nsfAutoregressive(3, 0), new Shape(3)),
                FlowCase.of(
                        "Nsf autoregressive, one dimension",
                        () -> nsfAutoregressive(1, 0),
                        new Shape(1)),
                FlowCase.of(
                                "Nsf autoregressive, one dimension with context",
                                () -> nsfAutoregressive(1, 2),
                                new Shape(1))
                        .withContext(2),
                FlowCase.of(
                                "Maf, one dimension with context",
                                () ->
                                        Maf.builder()
                                                .setDimension(1)
                                                .optLayers(2)
                                                .optHiddenSizes(8)
                                                .optContextSize(2)
                                                .build(),
                                new Shape(1))
                        .withContext(2),
                FlowCase.of(
                        "Naf, one dimension",
                        () -> Naf.builder(3).setDimension(1).optLayers(2).build(),
                        new Shape(1)),
                FlowCase.of(
                                "ElementwiseTransform spline with context",
                                () ->
                                        new ElementwiseTransform(
                                                io.github.djlflows.core.bijection
                                                        .RationalQuadraticSpline.builder()
                                                        .optBins(4)
                                                        .build(),
                                                3,
                                                2,
                                                8),
                                new Shape(3))
                        .withContext(2),
                FlowCase.of(
                        "AutoregressiveFlow with a deep sigmoidal map",
                        () ->
                                AutoregressiveFlow.builder(new DeepSigmoidalBijection(4))
                                        .setConditioner(made(4))
                                        .build(),
                        v4),
                FlowCase.of(
                                "Naf with context, wide inputs",
                                () ->
                                        Naf.builder(3)
                                                .setDimension(3)
                                                .optLayers(2)
                                                .optHiddenSizes(8)
                                                .optContextSize(2)
                                                .build(),
                                new Shape(3))
                        .withContext(2)
                        .withInputs(3.0, 0.0),
                FlowCase.of(
                        "ElementwiseTransform deep sigmoidal",
                        () -> new ElementwiseTransform(new DeepSigmoidalBijection(5)),
                        v5),
                FlowCase.of(
                        "MaskedAutoregressiveFlow",
                        () -> MaskedAutoregressiveFlow.builder().setConditioner(made(5)).build(),
                        v5),
                FlowCase.of(
                                "MaskedAutoregressiveFlow with context",
                                () ->
                                        MaskedAutoregressiveFlow.builder()
                                                .setConditioner(made(4).optContextSize(3))
                                                .build(),
                                v4)
                        .withContext(3),
                FlowCase.of(
                                "MaskedAutoregressiveFlow random ordering",
                                () ->
                                        MaskedAutoregressiveFlow.builder()
                                                .setConditioner(
                                                        made(5).optOrdering(Ordering.RANDOM)
                                                                .optSeed(3))
                                                .build(),
                                v5)
                        .reloadInto(
                                () ->
                                        MaskedAutoregressiveFlow.builder()
                                                .setConditioner(
                                                        made(5).optOrdering(Ordering.RANDOM)
                                                                .optSeed(4))
                                                .build()),
                FlowCase.of(
                                "MaskedAutoregressiveFlow residual MADE with context",
                                () ->
                                        MaskedAutoregressiveFlow.builder()
                                                .setConditioner(
                                                        made(4).optResidualBlocks(2)
                                                                .optContextSize(2))
                                                .build(),
                                v4)
                        .withContext(2),
                FlowCase.of(
                        "InverseAutoregressiveFlow",
                        () -> InverseAutoregressiveFlow.builder().setConditioner(made(5)).build(),
                        v5),
                FlowCase.of(
                                "InverseAutoregressiveFlow with context",
                                () ->
                                        InverseAutoregressiveFlow.builder()
                                                .setConditioner(
                                                        made(4).optContextSize(3)
                                                                .optOrdering(Ordering.REVERSED))
                                                .build(),
                                v4)
                        .withContext(3),
                FlowCase.of(
                                "Maf with batch-norm",
                                () ->
                                        Maf.builder()
                                                .setDimension(4)
                                                .optLayers(3)
                                                .optHiddenSizes(8)
                                                .optBatchNorm(true)
                                                .build(),
                                v4)
                        .batchDependent(),
                FlowCase.of(
                                "Iaf with batch-norm and context",
                                () ->
                                        Iaf.builder()
                                                .setDimension(4)
                                                .optLayers(2)
                                                .optHiddenSizes(8)
                                                .optContextSize(2)
                                                .optBatchNorm(true)
                                                .build(),
                                v4)
                        .withContext(2)
                        .batchDependent());
    }
}
