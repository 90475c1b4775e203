package io.github.djlflows.zoo.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.image.Dequantize;
import org.junit.jupiter.api.Test;

/**
 * The uniform-dequantization bound of an image model draws (x + u) / 256 with u ~ U[0, 1): checked
 * against the closed form of a standard normal on the dequantized pixels.
 */
class HeldOutTest {

    @Test
    void uniformBoundAveragesTheDensityOverEachBin() {
        Shape image = new Shape(1, 4, 4);
        NormalizingFlow flow =
                NormalizingFlow.builder()
                        .setFlow(new Dequantize())
                        .setBase(new StandardNormal(image))
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            flow.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(image));
            NDArray x =
                    manager.randomInteger(0, 256, new Shape(2000).addAll(image), DataType.INT32)
                            .toType(DataType.FLOAT32, false);
            // -log N(z) + D ln 256 with E_u z^2 = (x^2 + x + 1/3) / 256^2 for z = (x + u) / 256
            double expected = 0;
            float[] v = x.toFloatArray();
            for (float p : v) {
                expected += 0.5 * Math.log(2 * Math.PI) + 0.5 * (p * p + p + 1.0 / 3) / 65536;
            }
            expected = expected / 2000 + image.size() * Math.log(256);
            double bound = HeldOut.uniformBound(flow, x, 5);
            assertEquals(expected, bound, 2e-3, "bound vs closed form");
            assertEquals(bound, HeldOut.uniformBound(flow, x, 5), 0, "seeded draws repeat");
        }
    }
}
