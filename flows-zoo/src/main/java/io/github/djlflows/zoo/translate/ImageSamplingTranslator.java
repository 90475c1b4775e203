package io.github.djlflows.zoo.translate;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.Map;

/**
 * Draws image samples as DJL {@link Image}s: {@code Integer} (how many) to {@code Image[]}. The
 * flow's samples (0..255 pixel scale, NCHW) are clipped to 0..255; grey images are repeated to
 * three channels. Criteria arguments as {@link SamplingTranslator}: {@code temperature}, {@code
 * seed}.
 *
 * <pre>{@code
 * Image[] images = predictor.predict(16);
 * images[0].save(out, "png");
 * }</pre>
 */
public class ImageSamplingTranslator implements NoBatchifyTranslator<Integer, Image[]> {

    private final SamplingTranslator sampling;

    /**
     * Creates the translator.
     *
     * @param arguments the criteria's arguments
     */
    public ImageSamplingTranslator(Map<String, ?> arguments) {
        sampling = new SamplingTranslator(arguments);
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, Integer count) {
        return sampling.processInput(ctx, count);
    }

    /** {@inheritDoc} */
    @Override
    public Image[] processOutput(TranslatorContext ctx, NDList list) {
        NDArray x = list.get(0);
        if (x.getShape().dimension() != 4) {
            throw new IllegalArgumentException(
                    "image sampling needs an image model (batch, C, H, W), got samples "
                            + x.getShape());
        }
        NDArray pixels = x.clip(0, 255);
        if (pixels.getShape().get(1) == 1) {
            pixels = pixels.repeat(1, 3);
        }
        ImageFactory factory = ImageFactory.getInstance();
        Image[] images = new Image[Math.toIntExact(pixels.getShape().get(0))];
        for (int i = 0; i < images.length; i++) {
            images[i] = factory.fromNDArray(pixels.get(i));
        }
        return images;
    }
}
