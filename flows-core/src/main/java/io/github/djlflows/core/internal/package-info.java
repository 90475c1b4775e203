/**
 * Engine workarounds used by the layers (owned scalars, shared constants, parameter arrays in the
 * batch's manager); not API, as DJL's {@code ai.djl.ndarray.internal}.
 */
package io.github.djlflows.core.internal;
