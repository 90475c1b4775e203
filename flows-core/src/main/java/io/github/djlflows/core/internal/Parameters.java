package io.github.djlflows.core.internal;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/** Parameter declarations the layers share. Internal. */
public final class Parameters {

    private Parameters() {}

    /**
     * A learned parameter (type {@link Parameter.Type#OTHER}) that starts at zero; its shape is set
     * when the layer sees its input.
     *
     * @param name the parameter's name within its block
     * @return the parameter, to pass to {@code addParameter}
     */
    public static Parameter zeros(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optInitializer(Initializer.ZEROS)
                .build();
    }

    /**
     * A learned parameter (type {@link Parameter.Type#OTHER}) of a fixed shape, known before any
     * input.
     *
     * @param name the parameter's name within its block
     * @param shape its shape
     * @param initializer how it starts
     * @return the parameter, to pass to {@code addParameter}
     */
    public static Parameter of(String name, Shape shape, Initializer initializer) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(initializer)
                .build();
    }
}
