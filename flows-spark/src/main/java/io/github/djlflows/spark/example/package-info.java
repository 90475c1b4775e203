/** A runnable, {@code spark-submit}-ready example: scoring a table with a flow on Spark. */
package io.github.djlflows.spark.example;
