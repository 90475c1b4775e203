/** PNG pictures of densities and samples. */
package io.github.djlflows.zoo.plot;
