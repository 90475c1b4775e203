/**
 * Continuous normalizing flows: layers that integrate an ODE whose dynamics are a network, with the
 * log-det as the integral of the dynamics' Jacobian trace.
 */
package io.github.djlflows.core.continuous;
