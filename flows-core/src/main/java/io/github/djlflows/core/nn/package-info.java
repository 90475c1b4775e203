/** Conditioner networks used inside flow layers. */
package io.github.djlflows.core.nn;
