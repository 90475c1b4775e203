/**
 * Autoregressive flows: the {@link io.github.djlflows.core.autoregressive.Made} conditioner, the
 * generic {@link io.github.djlflows.core.autoregressive.AutoregressiveFlow} structure and its MAF,
 * IAF and spline presets (the ready-made stacks are in {@code io.github.djlflows.core.flows}).
 */
package io.github.djlflows.core.autoregressive;
