/**
 * Hostile inputs to the core: extreme values through the image pipeline, data types and contexts a
 * model does not take, shape-changing inverses, points far from the data. Every case ends in a
 * correct answer or an exception whose message names what was expected and what came.
 */
package io.github.djlflows.core.hostile;
