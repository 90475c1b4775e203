/**
 * The contract kit: {@link io.github.djlflows.core.contract.FlowContract} checks any {@link
 * io.github.djlflows.core.FlowBlock} (inverse, log-det against a brute-force Jacobian, batch
 * independence, gradients in both directions, save/load into a differently seeded block), without a
 * test framework; {@link io.github.djlflows.core.contract.FlowCase} describes one configuration.
 */
package io.github.djlflows.core.contract;
