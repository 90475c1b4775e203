/** Coupling layers: the masked coupling structure and its NICE and RealNVP presets. */
package io.github.djlflows.core.coupling;
