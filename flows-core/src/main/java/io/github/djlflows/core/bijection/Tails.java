package io.github.djlflows.core.bijection;

/**
 * What a bounded spline does outside its interval [-B, B].
 *
 * <pre>{@code
 * RationalQuadraticSpline spline = RationalQuadraticSpline.builder().optTails(Tails.LINEAR).build();
 * }</pre>
 */
public enum Tails {
    /**
     * The identity outside [-B, B]: the boundary derivatives are fixed to 1, so the map and its
     * derivative are continuous at ±B, and the log-derivative is 0 in the tails (Durkan et al.,
     * 2019, section 3.1).
     */
    LINEAR
}
