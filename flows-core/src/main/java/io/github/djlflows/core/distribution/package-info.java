/** Base distributions of normalizing flows: standard and diagonal normal, logistic, uniform. */
package io.github.djlflows.core.distribution;
