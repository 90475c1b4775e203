package io.github.djlflows.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.bijection.ElementwiseBijection;
import io.github.djlflows.core.bijection.RationalQuadraticSpline;
import io.github.djlflows.core.bijection.Tails;
import io.github.djlflows.core.coupling.RationalQuadraticCoupling;
import io.github.djlflows.core.flows.Nsf;
import org.junit.jupiter.api.Test;

/** The javadoc examples of the spline types, verbatim, so they keep compiling and running. */
class SplineExamplesTest {

    @Test
    void javadocExamples() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(4, 3));
            NDArray raw = manager.zeros(new Shape(4, 23 * 3));
            // RationalQuadraticSpline
            RationalQuadraticSpline spline =
                    RationalQuadraticSpline.builder().optBins(8).optBound(3).build();
            // raw: a conditioner's output, (batch, 23 * features), parameter-major
            NDList out =
                    spline.forward(
                            x,
                            ElementwiseBijection.cut(
                                    raw, spline.getParameterShapes(), x.getShape()));
            // Tails
            RationalQuadraticSpline linear =
                    RationalQuadraticSpline.builder().optTails(Tails.LINEAR).build();
            // RationalQuadraticCoupling
            RationalQuadraticCoupling layer =
                    RationalQuadraticCoupling.builder()
                            .setDimension(2)
                            .optBins(8)
                            .optBound(3)
                            .build();
            // Nsf
            FlowSequence flow = Nsf.builder().setDimension(2).optTransforms(3).optBins(8).build();

            assertEquals(x.getShape(), out.get(0).getShape());
            assertEquals(23, linear.getParameterCount());
            assertEquals(0, layer.getContextSize());
            assertEquals(
                    5, flow.getChildren().size(), "3 couplings with 2 permutations between them");
        }
    }
}
