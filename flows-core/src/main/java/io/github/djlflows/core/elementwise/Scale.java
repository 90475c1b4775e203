package io.github.djlflows.core.elementwise;

/**
 * NICE's diagonal scaling layer {@code z = x * exp(s)}, the only volume-changing layer of a NICE
 * model; log-det = sum(s).
 *
 * <p>Cost: O(D) in both directions; analytic inverse.
 *
 * <p>Reference: Dinh, Krueger and Bengio, "NICE: Non-linear Independent Components Estimation",
 * 2014.
 *
 * <pre>{@code
 * Scale scale = new Scale();
 * }</pre>
 */
public class Scale extends ElementwiseAffine {

    /** Creates the layer, starting at the identity (s = 0). */
    public Scale() {
        super(false);
    }
}
