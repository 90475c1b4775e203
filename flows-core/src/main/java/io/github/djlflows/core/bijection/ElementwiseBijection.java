package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.TreeSet;

/**
 * A per-feature invertible map whose parameters come from a conditioner: additive, affine,
 * rational-quadratic spline. Coupling and autoregressive structures take one of these, so the
 * structure (which features condition which) stays apart from the map.
 *
 * <p>Shapes: {@code x} is (batch, features...) and {@code params} is (batch, P, features...), where
 * P is {@link #getParameterCount()}: parameter {@code k} of every feature is {@code params[:, k]}.
 * Both directions return the output and the <em>elementwise</em> log|dy/dx| (of the direction
 * computed), shaped like {@code x}; structures sum it over the transformed features.
 *
 * <p>A map that reads its parameters one group at a time ({@link #readsGroups()}, the affine map)
 * also takes them as P arrays shaped like {@code x} ({@link #forwardGroups}): a structure that
 * holds the conditioner output as (batch, P * features) then cuts the groups out with one split
 * ({@link #groups}) instead of reshaping to (batch, P, features) for the map to split and squeeze
 * again. Fewer native calls and autograd nodes, the same values.
 */
public interface ElementwiseBijection {

    /**
     * The number of conditioner outputs per feature.
     *
     * @return P, at least 1
     */
    int getParameterCount();

    /**
     * Applies the map.
     *
     * @param x inputs, (batch, features...)
     * @param params parameters, (batch, P, features...)
     * @return y and the elementwise log|dy/dx|
     */
    NDList forward(NDArray x, NDArray params);

    /**
     * Applies the inverse map.
     *
     * @param y inputs, (batch, features...)
     * @param params parameters, (batch, P, features...)
     * @return x and the elementwise log|dx/dy|
     */
    NDList inverse(NDArray y, NDArray params);

    /**
     * Whether {@link #forwardGroups} and {@link #inverseGroups} are this map's cheaper entry.
     * Defaults to false (they stack the groups and call {@link #forward} / {@link #inverse}).
     *
     * @return true if the map reads its parameters group by group
     */
    default boolean readsGroups() {
        return false;
    }

    /**
     * Applies the map to parameters given group by group: {@code groups.get(k)} is parameter
     * {@code k} of every feature, shaped like {@code x}. The same values as {@link #forward} on
     * the groups stacked along axis 1.
     *
     * @param x inputs, (batch, features...)
     * @param groups the P parameter groups, each (batch, features...)
     * @return y and the elementwise log|dy/dx|
     */
    default NDList forwardGroups(NDArray x, NDList groups) {
        return forward(x, NDArrays.stack(groups, 1));
    }

    /**
     * Applies the inverse map to parameters given group by group, as {@link #forwardGroups}.
     *
     * @param y inputs, (batch, features...)
     * @param groups the P parameter groups, each (batch, features...)
     * @return x and the elementwise log|dx/dy|
     */
    default NDList inverseGroups(NDArray y, NDList groups) {
        return inverse(y, NDArrays.stack(groups, 1));
    }

    /**
     * Cuts P parameter groups out of a parameter-major conditioner output with one split: group
     * {@code k} is columns {@code [k * features + from, k * features + to)} of axis 1, the
     * parameters of features {@code [from, to)}.
     *
     * @param raw the conditioner output, (batch, P * features, rest...)
     * @param count P, the number of groups
     * @param features the number of features along axis 1
     * @param from the first wanted feature
     * @param to one past the last wanted feature
     * @return the P groups, each (batch, to - from, rest...), views of {@code raw}
     */
    static NDList groups(NDArray raw, int count, long features, long from, long to) {
        Shape shape = raw.getShape();
        if (shape.dimension() < 2 || shape.get(1) != count * features || from < 0 || to > features || from >= to) {
            throw new IllegalArgumentException(
                    "parameter groups: expected (batch, " + count + " x " + features + ", ...) and 0 <= from < to <= "
                            + features + ", got " + shape + " and [" + from + ", " + to + ")");
        }
        return pick(raw, 1, count, features, from, to);
    }

    /**
     * Applies the map, or its inverse, to features {@code [from, to)} of axis 1 with their
     * parameters from a parameter-major conditioner output: as {@link #groups} with {@link
     * #forwardGroups} where this map reads groups and {@code raw} is (batch, P * features,
     * rest...), else reshaped to (batch, P, features, rest...), the range taken with one split,
     * and {@link #forward}.
     *
     * @param input the features to transform, (batch, to - from, rest...)
     * @param raw the conditioner output, batch x P x features x rest values, parameter-major
     * @param features the number of features along axis 1 that {@code raw} has parameters for
     * @param from the first transformed feature
     * @param to one past the last transformed feature
     * @param inverse true for the inverse map
     * @return the output and the elementwise log-determinant, shaped like {@code input}
     */
    default NDList transform(NDArray input, NDArray raw, long features, long from, long to, boolean inverse) {
        int count = getParameterCount();
        Shape in = input.getShape();
        Shape rest = in.slice(2);
        if (readsGroups() && raw.getShape().equals(new Shape(in.get(0), count * features).addAll(rest))) {
            NDList groups = groups(raw, count, features, from, to);
            return inverse ? inverseGroups(input, groups) : forwardGroups(input, groups);
        }
        NDArray params = raw.reshape(new Shape(in.get(0), count, features).addAll(rest));
        if (from > 0 || to < features) {
            params = pick(params, 2, 1, features, from, to).head();
        }
        return inverse ? inverse(input, params) : forward(input, params);
    }

    /**
     * For each of {@code count} consecutive runs of {@code features} indices along {@code axis},
     * the part {@code [from, to)}, cut with one split.
     */
    private static NDList pick(NDArray array, int axis, int count, long features, long from, long to) {
        TreeSet<Long> cuts = new TreeSet<>();
        for (int k = 0; k < count; k++) {
            cuts.add(k * features + from);
            cuts.add(k * features + to);
        }
        cuts.remove(0L);
        cuts.remove(count * features);
        NDList pieces = array.split(cuts.stream().mapToLong(Long::longValue).toArray(), axis);
        NDList parts = new NDList(count);
        for (int k = 0; k < count; k++) {
            // the piece that starts at k * features + from: one after each cut at or before it
            parts.add(pieces.get(cuts.headSet(k * features + from, true).size()));
        }
        return parts;
    }

    /**
     * A stable identifier saved with the model, so a checkpoint cannot be loaded into a layer with
     * a different map.
     *
     * @return the identifier
     */
    String getName();
}
