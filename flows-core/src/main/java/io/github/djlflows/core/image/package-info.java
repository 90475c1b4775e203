/**
 * Image flows on NCHW arrays (batch, channels, height, width): Glow's {@link
 * io.github.djlflows.core.image.ActNorm} and LU-form {@link
 * io.github.djlflows.core.image.InvertibleConv1x1}, the 2x2 {@link
 * io.github.djlflows.core.image.Squeeze}, the multi-scale {@link
 * io.github.djlflows.core.image.MultiScaleFlow} (squeeze, steps, split, with the output in the
 * input's shape), convolutional coupling conditioners, and the pre-processing layers {@link
 * io.github.djlflows.core.image.Dequantize} and {@link
 * io.github.djlflows.core.image.LogitTransform}.
 *
 * <p>References: Dinh, Sohl-Dickstein and Bengio, "Density estimation using Real NVP", ICLR 2017;
 * Kingma and Dhariwal, "Glow: Generative Flow with Invertible 1x1 Convolutions", NeurIPS 2018.
 */
package io.github.djlflows.core.image;
