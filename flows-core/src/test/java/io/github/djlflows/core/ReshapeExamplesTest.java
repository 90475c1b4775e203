package io.github.djlflows.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.bijection.AffineBijection;
import io.github.djlflows.core.bijection.ElementwiseBijection;
import io.github.djlflows.core.contract.FlowCase;
import io.github.djlflows.core.contract.FlowContract;
import io.github.djlflows.core.coupling.CouplingFlow;
import io.github.djlflows.core.coupling.MaskType;
import io.github.djlflows.core.elementwise.RandomPermutation;
import io.github.djlflows.core.elementwise.ReversePermutation;
import io.github.djlflows.core.nn.Conditioners;
import org.junit.jupiter.api.Test;

/**
 * The javadoc examples of ElementwiseBijection, LogDets, MaskType, CouplingFlow, FlowCase and
 * FlowContract, and the README's "Writing your own layer", verbatim (the custom layers replaced by
 * library ones), so they keep compiling and running.
 */
class ReshapeExamplesTest {

    @Test
    void javadocExamples() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(3, 2));
            NDArray raw = manager.zeros(new Shape(3, 4));
            // ElementwiseBijection
            ElementwiseBijection affine = new AffineBijection(3.0);
            NDList params =
                    ElementwiseBijection.cut(raw, affine.getParameterShapes(), x.getShape());
            NDList out = affine.forward(x, params); // y and log|dy/dx|, both shaped like x
            assertArrayEquals(x.toFloatArray(), out.get(0).toFloatArray());
            // LogDets
            NDArray logScale = out.get(1);
            NDArray logDet = LogDets.sumPerSample(logScale); // (batch, dim) -> (batch)
            assertEquals(new Shape(3), logDet.getShape());
            // MaskType
            float[] mask = MaskType.ALTERNATING.values(new Shape(4), false); // {1, 0, 1, 0}
            assertArrayEquals(new float[] {1, 0, 1, 0}, mask);
            // CouplingFlow
            CouplingFlow layer =
                    CouplingFlow.builder(new AffineBijection(3))
                            .setConditioner(
                                    Conditioners.mlp(
                                            2 * 2, 32, 32)) // D = 4: 2 parameters x 2 transformed
                            .optMask(MaskType.HALF)
                            .build();
            FlowContract.check(
                    FlowCase.of(
                            "CouplingFlow example",
                            () ->
                                    CouplingFlow.builder(new AffineBijection(3))
                                            .setConditioner(Conditioners.mlp(2 * 2, 32, 32))
                                            .optMask(MaskType.HALF)
                                            .build(),
                            new Shape(4)));
            // FlowSequence
            FlowSequence flow =
                    FlowSequence.of(
                            layer,
                            new ReversePermutation(),
                            CouplingFlow.builder(new AffineBijection(3)).setDimension(4).build());
            assertEquals(3, flow.getLayers().size());
        }
        // FlowCase
        FlowCase flowCase =
                FlowCase.of("RandomPermutation", () -> new RandomPermutation(7), new Shape(5))
                        .reloadInto(
                                () ->
                                        new RandomPermutation(
                                                8)); // save/load must restore the saved order
        FlowContract.check(flowCase);
        // README "Writing your own layer" (MyShift, MyPermutation: library layers here)
        FlowContract.check(FlowCase.of("my shift", ReversePermutation::new, new Shape(4)));
        FlowContract.check(
                FlowCase.of("my permutation", () -> new RandomPermutation(1), new Shape(5))
                        .reloadInto(() -> new RandomPermutation(2)));
    }
}
