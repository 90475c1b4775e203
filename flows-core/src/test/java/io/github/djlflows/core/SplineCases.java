package io.github.djlflows.core;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.bijection.AffineBijection;
import io.github.djlflows.core.bijection.RationalQuadraticSpline;
import io.github.djlflows.core.contract.FlowCase;
import io.github.djlflows.core.coupling.MaskType;
import io.github.djlflows.core.coupling.RationalQuadraticCoupling;
import io.github.djlflows.core.elementwise.ElementwiseTransform;
import io.github.djlflows.core.flows.Nsf;
import java.util.stream.Stream;

/** Contract cases of the rational-quadratic spline layers (issue 5). */
final class SplineCases {

    private SplineCases() {}

    static Stream<FlowCase> cases() {
        Shape v4 = new Shape(4);
        Shape v5 = new Shape(5);
        return Stream.of(
                FlowCase.of(
                                "ElementwiseTransform spline across bounds",
                                () ->
                                        new ElementwiseTransform(
                                                RationalQuadraticSpline.builder()
                                                        .optBins(5)
                                                        .optBound(2)
                                                        .build()),
                                v4)
                        .withInputs(2.5, 0.0),
                FlowCase.of(
                        "ElementwiseTransform affine on images",
                        () -> new ElementwiseTransform(new AffineBijection(3.0)),
                        new Shape(2, 3, 3)),
                FlowCase.of("RQ coupling inside bounds", () -> coupling(5, 3.0).build(), v5),
                // inputs of std 4 with bound 3: many in the linear tails, some near the edges
                FlowCase.of("RQ coupling across bounds", () -> coupling(4, 3.0).build(), v4)
                        .withInputs(4.0, 0.0),
                // shifted near +B: straddles the upper edge
                FlowCase.of(
                                "RQ coupling near upper bound",
                                () -> coupling(4, 2.0).optMask(MaskType.ALTERNATING).build(),
                                v4)
                        .withInputs(0.3, 2.0),
                FlowCase.of(
                                "RQ coupling with context",
                                () ->
                                        coupling(4, 3.0)
                                                .optContextSize(3)
                                                .optInvertMask(true)
                                                .build(),
                                v4)
                        .withContext(3)
                        .withInputs(2.0, 0.0),
                FlowCase.of(
                        "Nsf reverse",
                        () ->
                                Nsf.builder()
                                        .setDimension(4)
                                        .optTransforms(3)
                                        .optBins(4)
                                        .optHiddenSizes(8)
                                        .build(),
                        v4),
                FlowCase.of(
                                "Nsf random with context",
                                () ->
                                        Nsf.builder()
                                                .setDimension(4)
                                                .optTransforms(2)
                                                .optBins(5)
                                                .optBound(3)
                                                .optHiddenSizes(8)
                                                .optContextSize(2)
                                                .optPermutation(Nsf.PermutationType.RANDOM)
                                                .optSeed(3)
                                                .build(),
                                v4)
                        .reloadInto(
                                () ->
                                        Nsf.builder()
                                                .setDimension(4)
                                                .optTransforms(2)
                                                .optBins(5)
                                                .optBound(3)
                                                .optHiddenSizes(8)
                                                .optContextSize(2)
                                                .optPermutation(Nsf.PermutationType.RANDOM)
                                                .optSeed(4)
                                                .build())
                        .withContext(2)
                        .withInputs(3.0, 0.0));
    }

    private static RationalQuadraticCoupling.Builder coupling(long dimension, double bound) {
        return RationalQuadraticCoupling.builder()
                .setDimension(dimension)
                .optBins(6)
                .optBound(bound)
                .optHiddenSizes(8);
    }
}
