/**
 * Training glue: the maximum-likelihood loss, the reverse KL of variational inference ({@link
 * io.github.djlflows.core.train.ReverseKl}), datasets for unlabeled data, evaluators, a fused Adam,
 * and {@link io.github.djlflows.core.train.DataParallelTrainer} (several worker threads on shards
 * of each batch, one update).
 */
package io.github.djlflows.core.train;
