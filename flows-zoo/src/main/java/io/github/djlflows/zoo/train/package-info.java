/** Training and evaluation of zoo artifacts, with checkpoints and resume. */
package io.github.djlflows.zoo.train;
