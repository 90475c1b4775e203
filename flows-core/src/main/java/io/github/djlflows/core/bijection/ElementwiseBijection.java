package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A per-feature invertible map whose parameters come from a conditioner: additive, affine,
 * rational-quadratic spline. Coupling and autoregressive structures take one of these, so the
 * structure (which features condition which) stays apart from the map.
 *
 * <p>The map declares the shapes of its parameters per feature ({@link #getParameterShapes()}:
 * affine {@code {1, 1}}, a K-bin spline {@code {K, K, K - 1}}); the structure cuts its
 * conditioner's output into them ({@link #cut}) and hands them over as an {@link NDList}: a group
 * of size 1 shaped like {@code x}, (batch, features...), a group of size s &gt; 1 as (batch, s,
 * features...). Both directions return the output and the <em>elementwise</em> log|dy/dx| (of the
 * direction computed), shaped like {@code x}; structures sum it over the transformed features.
 *
 * <pre>{@code
 * ElementwiseBijection affine = new AffineBijection(3.0);
 * NDList params = ElementwiseBijection.cut(raw, affine.getParameterShapes(), x.getShape());
 * NDList out = affine.forward(x, params); // y and log|dy/dx|, both shaped like x
 * }</pre>
 */
public interface ElementwiseBijection {

    /**
     * The sizes per feature of this map's parameter groups, in the order the conditioner outputs
     * them (parameter-major).
     *
     * @return the group sizes, each at least 1
     */
    int[] getParameterShapes();

    /**
     * The number of conditioner outputs per feature: the sum of {@link #getParameterShapes()}.
     *
     * @return P, at least 1
     */
    default int getParameterCount() {
        return Arrays.stream(getParameterShapes()).sum();
    }

    /**
     * Applies the map.
     *
     * @param x inputs, (batch, features...)
     * @param params the parameter groups, as {@link #cut} gives them
     * @return y and the elementwise log|dy/dx|
     */
    NDList forward(NDArray x, NDList params);

    /**
     * Applies the inverse map.
     *
     * @param y inputs, (batch, features...)
     * @param params the parameter groups, as {@link #cut} gives them
     * @return x and the elementwise log|dx/dy|
     */
    NDList inverse(NDArray y, NDList params);

    /**
     * A stable identifier saved with the model, so a checkpoint cannot be loaded into a layer with
     * a different map.
     *
     * @return the identifier
     */
    String getName();

    /**
     * Cuts a parameter-major conditioner output into parameter groups with one split: group g of
     * size s occupies s consecutive runs of F values along axis 1 (F = {@code
     * featureShape.get(1)}), and is returned shaped like the input when s = 1, else as (batch, s,
     * F, rest...).
     *
     * @param raw the conditioner output, (batch, P * F) or (batch, P * F, rest...), or any shape of
     *     batch x P x F x rest values
     * @param shapes the group sizes ({@link #getParameterShapes()})
     * @param inputShape the shape of the transformed input, (batch, F, rest...)
     * @return the groups, views of {@code raw}
     * @throws IllegalArgumentException if {@code raw} does not hold P x F x rest values per sample
     */
    static NDList cut(NDArray raw, int[] shapes, Shape inputShape) {
        long features = inputShape.get(1);
        Shape rest = inputShape.slice(2);
        int count = Arrays.stream(shapes).sum();
        Shape packed = new Shape(inputShape.get(0), count * features).addAll(rest);
        if (raw.getShape().size() != packed.size() || raw.getShape().get(0) != inputShape.get(0)) {
            throw new IllegalArgumentException(
                    "parameters: expected "
                            + packed
                            + " ("
                            + count
                            + " per feature x "
                            + features
                            + " features) for input "
                            + inputShape
                            + ", got "
                            + raw.getShape());
        }
        NDArray flat = raw.getShape().equals(packed) ? raw : raw.reshape(packed);
        NDList pieces;
        if (shapes.length == 1) {
            pieces = new NDList(flat);
        } else {
            long[] at = new long[shapes.length - 1];
            long offset = 0;
            for (int g = 0; g < at.length; g++) {
                offset += shapes[g] * features;
                at[g] = offset;
            }
            pieces = flat.split(at, 1);
        }
        NDList groups = new NDList(shapes.length);
        for (int g = 0; g < shapes.length; g++) {
            NDArray piece = pieces.get(g);
            groups.add(
                    shapes[g] == 1
                            ? piece
                            : piece.reshape(
                                    new Shape(inputShape.get(0), shapes[g], features)
                                            .addAll(rest)));
        }
        return groups;
    }
}
