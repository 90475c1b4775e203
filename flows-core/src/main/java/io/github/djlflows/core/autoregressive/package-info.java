/**
 * Autoregressive flows: the {@link io.github.djlflows.core.autoregressive.Made} conditioner, the
 * generic {@link io.github.djlflows.core.autoregressive.AutoregressiveFlow} structure, its MAF and
 * IAF presets, and the ready-made {@link io.github.djlflows.core.autoregressive.Maf} and {@link
 * io.github.djlflows.core.autoregressive.Iaf} stacks.
 */
package io.github.djlflows.core.autoregressive;
