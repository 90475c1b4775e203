/**
 * Distributed scoring ({@link io.github.djlflows.spark.FlowScorer}, a Spark ML transformer) and
 * sampling ({@link io.github.djlflows.spark.FlowSampler}) of normalizing flows on Apache Spark.
 * Spark is a {@code provided} dependency: the application brings its own.
 */
package io.github.djlflows.spark;
