package io.github.djlflows.core;

import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.bijection.AffineBijection;
import io.github.djlflows.core.contract.FlowCase;
import io.github.djlflows.core.contract.FlowContract;
import io.github.djlflows.core.coupling.AdditiveCoupling;
import io.github.djlflows.core.coupling.AffineCoupling;
import io.github.djlflows.core.coupling.CouplingFlow;
import io.github.djlflows.core.coupling.MaskType;
import io.github.djlflows.core.coupling.RationalQuadraticCoupling;
import io.github.djlflows.core.elementwise.BatchNormFlow;
import io.github.djlflows.core.elementwise.ElementwiseAffine;
import io.github.djlflows.core.elementwise.RandomPermutation;
import io.github.djlflows.core.elementwise.RangeTails;
import io.github.djlflows.core.elementwise.ReversePermutation;
import io.github.djlflows.core.elementwise.Scale;
import io.github.djlflows.core.elementwise.Standardize;
import io.github.djlflows.core.flows.Nice;
import io.github.djlflows.core.flows.RealNvp;
import io.github.djlflows.core.nn.Conditioners;
import io.github.djlflows.core.residual.PlanarFlow;
import io.github.djlflows.core.residual.RadialFlow;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared contract, applied to every layer of the library. */
class ContractTest {

    static Stream<FlowCase> cases() {
        return Stream.of(
                        CoreCases.cases(),
                        AutoregressiveCases.cases(),
                        SplineCases.cases(),
                        ImageCases.cases(),
                        ContinuousCases.cases())
                .flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void contract(FlowCase flowCase) {
        FlowContract.check(flowCase);
    }

    /** The layers of flows-core's classic families. */
    static final class CoreCases {

        private CoreCases() {}

        static Stream<FlowCase> cases() {
            Shape v4 = new Shape(4);
            Shape v5 = new Shape(5);
            Shape image = new Shape(2, 4, 4);
            return Stream.of(
                    FlowCase.of("PlanarFlow", PlanarFlow::new, v4),
                    FlowCase.of("RadialFlow", RadialFlow::new, v4),
                    FlowCase.of(
                            "AdditiveCoupling",
                            () ->
                                    AdditiveCoupling.builder()
                                            .setDimension(5)
                                            .optHiddenSizes(8)
                                            .build(),
                            v5),
                    FlowCase.of(
                                    "AdditiveCoupling with context",
                                    () ->
                                            AdditiveCoupling.builder()
                                                    .setDimension(5)
                                                    .optContextSize(3)
                                                    .optHiddenSizes(8)
                                                    .build(),
                                    v5)
                            .withContext(3),
                    FlowCase.of("Scale", Scale::new, v4),
                    FlowCase.of(
                            "AffineCoupling half",
                            () ->
                                    AffineCoupling.builder()
                                            .setDimension(5)
                                            .optHiddenSizes(8, 8)
                                            .build(),
                            v5),
                    FlowCase.of(
                            "AffineCoupling alternating inverted",
                            () ->
                                    AffineCoupling.builder()
                                            .setDimension(4)
                                            .optMask(MaskType.ALTERNATING)
                                            .optInvertMask(true)
                                            .optHiddenSizes(8)
                                            .build(),
                            v4),
                    FlowCase.of(
                                    "AffineCoupling with context",
                                    () ->
                                            AffineCoupling.builder()
                                                    .setDimension(4)
                                                    .optContextSize(3)
                                                    .optHiddenSizes(8)
                                                    .build(),
                                    v4)
                            .withContext(3),
                    FlowCase.of(
                            "AffineCoupling MLP inverted",
                            () ->
                                    AffineCoupling.builder()
                                            .setDimension(7)
                                            .optInvertMask(true)
                                            .optHiddenSizes(8)
                                            .build(),
                            new Shape(7)),
                    FlowCase.of(
                            "RationalQuadraticCoupling MLP",
                            () ->
                                    RationalQuadraticCoupling.builder()
                                            .setDimension(6)
                                            .optBins(4)
                                            .optHiddenSizes(8)
                                            .build(),
                            new Shape(6)),
                    FlowCase.of(
                            "AffineCoupling checkerboard image",
                            () ->
                                    AffineCoupling.builder()
                                            .optMask(MaskType.CHECKERBOARD)
                                            .optConditioner(imageMlp(2 * 32))
                                            .build(),
                            image),
                    FlowCase.of(
                            "AffineCoupling channel image",
                            () ->
                                    AffineCoupling.builder()
                                            .optMask(MaskType.CHANNEL)
                                            .optInvertMask(true)
                                            .optConditioner(imageMlp(2 * 16)) // 1 of 2 channels
                                            .build(),
                            image),
                    FlowCase.of(
                                    "CouplingFlow affine alternating with context",
                                    () ->
                                            CouplingFlow.builder(new AffineBijection(2))
                                                    .setDimension(5)
                                                    .optMask(MaskType.ALTERNATING)
                                                    .optContextSize(2)
                                                    .optHiddenSizes(8)
                                                    .build(),
                                    v5)
                            .withContext(2),
                    FlowCase.of("ReversePermutation", ReversePermutation::new, v5),
                    FlowCase.of("RandomPermutation", () -> new RandomPermutation(7), v5)
                            .reloadInto(() -> new RandomPermutation(8)),
                    FlowCase.of("ReversePermutation channels", ReversePermutation::new, image),
                    FlowCase.of("ElementwiseAffine", () -> ElementwiseAffine.builder().build(), v4),
                    FlowCase.of(
                            "Standardize",
                            () ->
                                    Standardize.of(
                                            new double[] {0.5, -2, 1e3, 0},
                                            new double[] {1e-3, 2, 50, 1}),
                            v4),
                    FlowCase.of(
                                    "RangeTails",
                                    () ->
                                            RangeTails.of(
                                                    new double[] {-0.5, -3, 0.2, -1},
                                                    new double[] {0.5, 3, 0.9, -0.8},
                                                    new double[] {0.1, 1, 0.05, 2}),
                                    v4)
                            .reloadInto(() -> RangeTails.symmetric(4, 1, 1)),
                    // on images: the ranges hold per value of the flattened sample
                    FlowCase.of(
                                    "RangeTails on images",
                                    () -> RangeTails.symmetric(32, 0.5, 0.3),
                                    image)
                            .reloadInto(() -> RangeTails.symmetric(32, 2, 1)),
                    FlowCase.of("BatchNormFlow", () -> BatchNormFlow.builder().build(), v4)
                            .batchDependent(),
                    FlowCase.of(
                            "RealNvp",
                            () ->
                                    RealNvp.builder()
                                            .setDimension(4)
                                            .optCouplings(3)
                                            .optHiddenSizes(8)
                                            .optBatchNorm(true)
                                            .build(),
                            v4),
                    FlowCase.of(
                            "Nice",
                            () ->
                                    Nice.builder()
                                            .setDimension(4)
                                            .optCouplings(2)
                                            .optHiddenSizes(8)
                                            .build(),
                            v4),
                    FlowCase.of(
                            "Planar and radial chain",
                            () ->
                                    io.github.djlflows.core.flows.PlanarRadialFlows.builder()
                                            .optPlanarLayers(2)
                                            .optRadialLayers(2)
                                            .build(),
                            v4),
                    FlowCase.of(
                            "FlowSequence of chained block-wise couplings, sigmoid-form clamp",
                            () ->
                                    FlowSequence.of(
                                            chainedCoupling(false),
                                            chainedCoupling(true),
                                            chainedCoupling(false),
                                            new ReversePermutation(),
                                            chainedCoupling(true)),
                            new Shape(17)),
                    FlowCase.of(
                            "InverseFlow of AffineCoupling",
                            () ->
                                    AffineCoupling.builder()
                                            .setDimension(4)
                                            .optHiddenSizes(8)
                                            .build()
                                            .inverted(),
                            v4));
        }

        /**
         * A block-wise affine coupling on 17 features (blocks of 9 and 8, so the soft clamp takes
         * its sigmoid form), for a sequence that hands consecutive couplings their blocks.
         */
        private static FlowBlock chainedCoupling(boolean invert) {
            return AffineCoupling.builder()
                    .setDimension(17)
                    .optHiddenSizes(8)
                    .optInvertMask(invert)
                    .build();
        }

        /** An image conditioner for tests: flatten, MLP, reshape back to (batch, out, 4, 4). */
        private static ai.djl.nn.Block imageMlp(int outFeatures) {
            ai.djl.nn.SequentialBlock net = new ai.djl.nn.SequentialBlock();
            net.add(
                    a ->
                            new ai.djl.ndarray.NDList(
                                    a.singletonOrThrow()
                                            .reshape(a.singletonOrThrow().getShape().get(0), -1)));
            net.add(Conditioners.mlp(outFeatures, 8));
            return net;
        }
    }
}
