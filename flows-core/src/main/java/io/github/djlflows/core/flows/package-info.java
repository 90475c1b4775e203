/**
 * Ready-made flows: thin presets over the structures ({@link
 * io.github.djlflows.core.flows.RealNvp}, {@link io.github.djlflows.core.flows.Nice}, {@link
 * io.github.djlflows.core.flows.Nsf}, {@link io.github.djlflows.core.flows.Maf}, {@link
 * io.github.djlflows.core.flows.Iaf}, {@link io.github.djlflows.core.flows.Glow}, {@link
 * io.github.djlflows.core.flows.RealNvpImage}, {@link
 * io.github.djlflows.core.flows.PlanarRadialFlows}).
 */
package io.github.djlflows.core.flows;
