package io.github.djlflows.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/**
 * Registers the {@link FlowsModelZoo} with DJL through {@code ServiceLoader} (see {@code
 * META-INF/services/ai.djl.repository.zoo.ZooProvider}).
 */
public class FlowsZooProvider implements ZooProvider {

    /** {@inheritDoc} */
    @Override
    public ModelZoo getModelZoo() {
        return new FlowsModelZoo();
    }
}
