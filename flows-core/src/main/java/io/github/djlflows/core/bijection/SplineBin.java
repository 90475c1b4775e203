package io.github.djlflows.core.bijection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlflows.core.internal.Tensors;
import java.util.Arrays;

/**
 * The quantities of the bin each element falls in, for {@link RationalQuadraticSpline}: one gather
 * along the bin axis from the knots and derivatives side by side, each of shape (batch, 1,
 * features...), and the spline's forward and inverse maps within that bin (the formulas are in
 * {@link RationalQuadraticSpline}'s documentation).
 */
final class SplineBin {

    /** Floor of the inverse's discriminant: keeps sqrt's gradient finite where it is clamped. */
    private static final double DISCRIMINANT_FLOOR = 1e-30;

    private final NDArray xk;
    private final NDArray wk;
    private final NDArray yk;
    private final NDArray hk;
    private final NDArray sk;
    private final NDArray dk;
    private final NDArray dk1;
    private final NDArray curvature;

    SplineBin(
            NDArray v,
            NDArray searched,
            NDArray knotsX,
            NDArray knotsY,
            NDArray slopes,
            int k,
            int rank) {
        NDArray interior = searched.split(new long[] {1, k}, 1).get(1);
        // the bin: how many interior knots lie at or below v (a bool sum is int64)
        NDArray index = v.gte(interior).sum(new int[] {1}, true);
        // rows of x_k, x_k+1, y_k, y_k+1, d_k, d_k+1 in the table of K+1 knots x, y, d
        long n = k + 1L;
        long[] offsetShape = new long[rank];
        Arrays.fill(offsetShape, 1);
        offsetShape[1] = 6;
        NDArray offsets =
                Tensors.shared(
                        v,
                        new double[] {0, 1, n, n + 1, 2 * n, 2 * n + 1},
                        new Shape(offsetShape),
                        DataType.INT64);
        NDArray table = NDArrays.concat(new NDList(knotsX, knotsY, slopes), 1);
        NDList picked = table.gather(index.add(offsets), 1).split(6, 1);
        xk = picked.get(0);
        wk = picked.get(1).sub(xk);
        yk = picked.get(2);
        hk = picked.get(3).sub(yk);
        sk = hk.div(wk);
        dk = picked.get(4);
        dk1 = picked.get(5);
        curvature = dk.add(dk1).sub(sk.add(sk));
    }

    NDArray[] forward(NDArray x) {
        NDArray theta = x.sub(xk).div(wk);
        NDArray oneMinus = Tensors.add(theta.neg(), 1);
        NDArray mixed = theta.mul(oneMinus);
        NDArray thetaSquared = theta.square();
        NDArray numerator = hk.mul(sk.mul(thetaSquared).add(dk.mul(mixed)));
        NDArray denominator = sk.add(curvature.mul(mixed));
        NDArray y = yk.add(numerator.div(denominator));
        return new NDArray[] {y, logDerivative(thetaSquared, oneMinus, mixed, denominator)};
    }

    NDArray[] inverse(NDArray y) {
        NDArray dy = y.sub(yk);
        NDArray a = hk.mul(sk.sub(dk)).add(dy.mul(curvature));
        NDArray b = hk.mul(dk).sub(dy.mul(curvature));
        NDArray c = sk.mul(dy).neg();
        NDArray discriminant =
                b.square()
                        .sub(Tensors.mul(a.mul(c), 4))
                        .maximum(Tensors.shared(b, DISCRIMINANT_FLOOR));
        NDArray theta = c.add(c).div(b.neg().sub(discriminant.sqrt()));
        NDArray x = theta.mul(wk).add(xk);
        NDArray oneMinus = Tensors.add(theta.neg(), 1);
        NDArray mixed = theta.mul(oneMinus);
        NDArray denominator = sk.add(curvature.mul(mixed));
        return new NDArray[] {x, logDerivative(theta.square(), oneMinus, mixed, denominator).neg()};
    }

    private NDArray logDerivative(
            NDArray thetaSquared, NDArray oneMinus, NDArray mixed, NDArray denominator) {
        NDArray numerator =
                sk.square()
                        .mul(
                                dk1.mul(thetaSquared)
                                        .add(Tensors.mul(sk.mul(mixed), 2))
                                        .add(dk.mul(oneMinus.square())));
        return numerator.log().sub(Tensors.mul(denominator.log(), 2));
    }
}
