/** Training glue: the maximum-likelihood loss, datasets for unlabeled data, evaluators. */
package io.github.djlflows.core.train;
