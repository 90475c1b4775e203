/** Residual flows with a matrix-determinant-lemma log-det: planar and radial. */
package io.github.djlflows.core.residual;
