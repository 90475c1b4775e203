/**
 * The flow contract ({@link io.github.djlflows.core.FlowBlock}), composition ({@link
 * io.github.djlflows.core.FlowSequence}, {@link io.github.djlflows.core.InverseFlow}) and the
 * {@link io.github.djlflows.core.NormalizingFlow} model.
 */
package io.github.djlflows.core;
