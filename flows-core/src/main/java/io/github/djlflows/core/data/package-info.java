/** Seeded toy 2-D densities (two-moons and friends) for tests, examples and the zoo. */
package io.github.djlflows.core.data;
