/**
 * Inference on every core: {@link io.github.djlflows.core.inference.ConcurrentFlowScorer} splits a
 * large batch across worker threads, each with its own predictor over one shared model.
 */
package io.github.djlflows.core.inference;
