/** The DJL Flows model zoo: artifacts, configs, the block factory and the model loader. */
package io.github.djlflows.zoo;
