/**
 * Per-feature bijections (additive, affine, splines) used by coupling and autoregressive
 * structures.
 */
package io.github.djlflows.core.bijection;
