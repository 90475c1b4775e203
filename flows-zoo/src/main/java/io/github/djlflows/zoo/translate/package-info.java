/** Translators and wrapper blocks that expose flows through DJL Predictors. */
package io.github.djlflows.zoo.translate;
