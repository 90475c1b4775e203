package io.github.djlflows.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.FlowSequence;
import io.github.djlflows.core.NormalizingFlow;
import io.github.djlflows.core.distribution.StandardNormal;
import io.github.djlflows.core.distribution.Uniform;
import io.github.djlflows.core.elementwise.ElementwiseAffine;
import io.github.djlflows.core.train.BitsPerDim;
import org.junit.jupiter.api.Test;

/** Bits/dim through Dequantize, and the +8 relation for data pre-scaled to [0, 1). */
class ImageBitsPerDimTest {

    private static final Shape EVENT = new Shape(1, 4, 4);

    @Test
    void dequantizeWithUniformBaseIsExactlyEightBits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NormalizingFlow flow =
                    NormalizingFlow.builder()
                            .setFlow(new Dequantize())
                            .setBase(new Uniform(EVENT, 0, 1))
                            .build();
            flow.initialize(manager, DataType.FLOAT64, new Shape(3).addAll(EVENT));
            NDArray x =
                    manager.randomInteger(0, 256, new Shape(3).addAll(EVENT), DataType.INT32)
                            .toType(DataType.FLOAT64, false);
            NDArray logProb = flow.logProb(x);
            for (double lp : logProb.toDoubleArray()) {
                assertEquals(8.0, BitsPerDim.bitsPerDim(lp, 16), 1e-12);
            }
            BitsPerDim evaluator = new BitsPerDim(16);
            evaluator.addAccumulator("t");
            evaluator.updateAccumulator("t", null, new ai.djl.ndarray.NDList(x, x, logProb));
            assertEquals(8.0, evaluator.getAccumulator("t"), 1e-5);
        }
    }

    @Test
    void scaledDataNeedsPlusEight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape batch = new Shape(4).addAll(EVENT);
            ElementwiseAffine shared = ElementwiseAffine.builder().build();
            NormalizingFlow onPixels =
                    NormalizingFlow.builder()
                            .setFlow(FlowSequence.of(new Dequantize(), shared))
                            .setBase(new StandardNormal(EVENT))
                            .build();
            onPixels.initialize(manager, DataType.FLOAT64, batch);
            NormalizingFlow onScaled =
                    NormalizingFlow.builder()
                            .setFlow(ElementwiseAffine.builder().build())
                            .setBase(new StandardNormal(EVENT))
                            .build();
            onScaled.initialize(manager, DataType.FLOAT64, batch);
            NDArray pixels =
                    manager.randomInteger(0, 256, batch, DataType.INT32)
                            .toType(DataType.FLOAT64, false);
            // eval-mode Dequantize: (x + 0.5) / 256
            NDArray scaled = pixels.add(0.5).div(256);
            double[] a = onPixels.logProb(pixels).toDoubleArray();
            double[] b = onScaled.logProb(scaled).toDoubleArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(
                        BitsPerDim.bitsPerDim(a[i], 16),
                        BitsPerDim.bitsPerDimOfScaled(b[i], 16),
                        1e-9);
                assertEquals(
                        BitsPerDim.bitsPerDim(a[i], 16), BitsPerDim.bitsPerDim(b[i], 16) + 8, 1e-9);
            }
        }
    }
}
