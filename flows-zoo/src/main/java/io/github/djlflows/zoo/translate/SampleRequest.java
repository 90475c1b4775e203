package io.github.djlflows.zoo.translate;

/**
 * One sampling call with a seed of its own: the input of a {@code SampleRequest -> float[][]}
 * predictor. The same seed gives the same samples; seeds {@code s} and {@code s + 1} give unrelated
 * ones, so a distributed job can give each partition its own seed.
 *
 * <pre>{@code
 * float[][] rows = predictor.predict(new SampleRequest(1000, 17L));
 * }</pre>
 *
 * @param count how many samples, positive
 * @param seed the seed, or null for the engine's random generator
 */
public record SampleRequest(int count, Long seed) {}
