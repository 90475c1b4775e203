/** Elementwise and structural layers: affine and scale, batch-norm flow, permutations. */
package io.github.djlflows.core.elementwise;
