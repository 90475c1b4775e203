/** The {@code flows} command-line tool. */
package io.github.djlflows.zoo.cli;
