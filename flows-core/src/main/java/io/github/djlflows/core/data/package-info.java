/**
 * Data sets for tests, examples and the zoo: seeded toy 2-D densities, the 8x8 digits CSV, and
 * gzipped IDX files (MNIST format) with the Fashion-MNIST reader.
 */
package io.github.djlflows.core.data;
